package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast UTC time parse means exactly what {@link Instant#parse} means, and refuses what it refuses. */
class UtcTimesTest {

  /** Times as agents format them, and edge forms, parse to the same instant as {@link Instant#parse}. */
  @Test
  void parsesLikeInstantParse() {
    // GIVEN random instants in every precision, plus edge cases
    Random rnd = new Random(16);
    List<String> edge = List.of("2026-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "1970-01-01T00:00:00.1Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.5Z", "2026-12-02T04:11:45.123Z", "2026-06-30T23:59:60Z",
        "2026-01-01T00:00:00+01:00");
    for (String s : edge) {
      // WHEN both parse it THEN they agree
      assertThat(UtcTimes.parse(s)).as(s).isEqualTo(Instant.parse(s));
    }
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochSecond(rnd.nextInt(2_000_000_000), rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1_000_000_000));
      String s = t.toString();
      assertThat(UtcTimes.parse(s)).as(s).isEqualTo(Instant.parse(s));
    }
  }

  /** Malformed and out-of-range times: refused exactly when {@link Instant#parse} refuses them, else the same instant. */
  @Test
  void refusesWhatInstantParseRefuses() {
    for (String s : List.of("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z",
        "2026-0a-01T00:00:00Z", "2026-01-01T00:00:00", "2025-02-29T00:00:00Z", "2026-01-01T00:00:61Z")) {
      Instant expected;
      try {
        expected = Instant.parse(s);
      } catch (DateTimeParseException e) {
        assertThatThrownBy(() -> UtcTimes.parse(s)).as(s).isInstanceOf(DateTimeParseException.class);
        continue;
      }
      assertThat(UtcTimes.parse(s)).as(s).isEqualTo(expected);
    }
  }
}
