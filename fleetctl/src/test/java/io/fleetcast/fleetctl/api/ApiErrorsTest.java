package io.fleetcast.fleetctl.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.fleetctl.ExitCodes;
import io.fleetcast.fleetctl.output.ProblemPrinter;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

  /** A problem+json body keeps title, detail and field errors; the printer shows each. */
  @Test
  void problemBodyIsShownWithEveryFieldError() {
    ApiException e = ApiClient.problem(400, """
        {"type":"https://fleetcast.io/problems/invalid-request-body","title":"Invalid request body","status":400,
         "detail":"2 fields are invalid","errors":[{"field":"name","message":"is required"},
         {"field":"strategy.waves[0]","message":"must be 1..100"}]}""");
    StringWriter w = new StringWriter();
    ProblemPrinter.print(e, new PrintWriter(w));
    assertThat(w.toString()).isEqualTo("""
        fleetctl: Invalid request body (HTTP 400): 2 fields are invalid
          - name: is required
          - strategy.waves[0]: must be 1..100
        """);
  }

  /** A proxy's HTML error page still gives a readable message with the status. */
  @Test
  void nonJsonErrorBodyStillReadable() {
    ApiException e = ApiClient.problem(502, "<html><body>Bad Gateway</body></html>");
    assertThat(e.title()).isEqualTo("HTTP 502");
    assertThat(e.detail()).contains("Bad Gateway");
  }

  /** HTTP statuses map to the documented exit codes. */
  @Test
  void exitCodesFollowTheStatusClass() {
    assertThat(ExitCodes.forStatus(400)).isEqualTo(ExitCodes.USAGE);
    assertThat(ExitCodes.forStatus(401)).isEqualTo(ExitCodes.AUTH);
    assertThat(ExitCodes.forStatus(403)).isEqualTo(ExitCodes.AUTH);
    assertThat(ExitCodes.forStatus(404)).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(ExitCodes.forStatus(409)).isEqualTo(ExitCodes.FAILURE);
    assertThat(ExitCodes.forStatus(503)).isEqualTo(ExitCodes.FAILURE);
    assertThat(ExitCodes.forStatus(0)).isEqualTo(ExitCodes.FAILURE);
  }
}
