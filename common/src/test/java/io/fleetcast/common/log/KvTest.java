package io.fleetcast.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One structured log line whatever the values hold. */
@Timeout(10)
class KvTest {

  /** Plain values stay bare; the line starts with the event name. */
  @Test
  void plainValues() {
    // GIVEN plain values of several types
    // WHEN a line is built
    String line = Kv.event("agent.connected", "agentId", "a-1", "n", 3, "ok", true, "none", null);

    // THEN values are written as they are
    assertThat(line).isEqualTo("event=agent.connected agentId=a-1 n=3 ok=true none=null");
  }

  /** Spaces, quotes, '=' and control characters are quoted and escaped, so the line stays one record. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "a b|'\"a b\"'",
      "say \"hi\"|'\"say \\\"hi\\\"\"'",
      "k=v|'\"k=v\"'",
      "back\\slash x|'\"back\\\\slash x\"'",
      "tab\there|'\"tab\\there\"'",
      "caf\u00e9|'\"caf\u00e9\"'"})
  void quotesWhatNeedsIt(String value, String expected) {
    // GIVEN a value that would break a naive key=value line
    // WHEN it is quoted
    // THEN the result is quoted and escaped
    assertThat(Kv.quote(value)).isEqualTo(expected);
  }

  /** Newlines and other control characters never reach the log as such. */
  @Test
  void newlinesAreEscaped() {
    // GIVEN a value trying to forge a second log line
    String forged = "x\nevent=admin.login user=root\r\u0000\u0007";

    // WHEN it is logged
    String line = Kv.event("e", "detail", forged);

    // THEN the line holds no line break or control character and the forged text is inside quotes
    assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000").doesNotContain("\u0007");
    assertThat(line).isEqualTo("event=e detail=\"x\\nevent=admin.login user=root\\r  \"");
  }

  /** An empty value is written as "", and a trailing key without value is ignored. */
  @Test
  void emptyAndOddArguments() {
    // GIVEN an empty value and an odd number of arguments
    // WHEN the line is built
    // THEN the empty value is visible and the dangling key is dropped
    assertThat(Kv.event("e", "a", "", "dangling")).isEqualTo("event=e a=\"\"");
  }
}
