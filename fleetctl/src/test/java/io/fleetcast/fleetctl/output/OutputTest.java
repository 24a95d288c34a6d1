package io.fleetcast.fleetctl.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {

  /** Columns line up two spaces apart; newlines and long values never break a row. */
  @Test
  void tableAlignsAndCutsCells() {
    StringWriter w = new StringWriter();
    new Table("ID", "OUTPUT").row("a", "line one\nline two").row("bbbb", "x".repeat(80)).row("c", null)
        .print(new PrintWriter(w));
    assertThat(w.toString().split("\n")).containsExactly(
        "ID    OUTPUT",
        "a     line one line two",
        "bbbb  " + "x".repeat(57) + "...",
        "c     -");
  }

  /** CSV quotes fields with commas, quotes or line breaks (RFC 4180) and ends lines with CRLF. */
  @Test
  void csvQuoting() {
    StringWriter w = new StringWriter();
    Csv.line(new PrintWriter(w), Arrays.asList("plain", "a,b", "say \"hi\"", "two\nlines", null));
    assertThat(w.toString()).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
  }

  /** The bar counts finished targets of all targets and names each non-zero state. */
  @Test
  void progressBarLine() {
    String line = ProgressBar.render(Json.parse(
        "{\"state\":\"running\",\"targets\":4,\"counts\":{\"succeeded\":1,\"failed\":1,\"running\":2}}"));
    assertThat(line).isEqualTo("[###############---------------]  50% 2/4  running  succeeded 1  failed 1  running 2");
  }

  /** Without a terminal, progress prints a line only when it changed. */
  @Test
  void progressWithoutTerminalPrintsChangesOnly() {
    StringWriter w = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(w), false);
    var a = Json.parse("{\"state\":\"running\",\"targets\":2,\"counts\":{\"pending\":2}}");
    var b = Json.parse("{\"state\":\"running\",\"targets\":2,\"counts\":{\"succeeded\":2}}");
    for (var r : List.of(a, a, b, b)) {
      bar.update(r);
    }
    assertThat(w.toString().lines().count()).isEqualTo(2);
  }
}
