package io.fleetcast.fleetctl.output;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Times for tables: RFC 3339 UTC cut to whole seconds. */
public final class Times {
  private Times() {}

  public static String brief(String rfc3339) {
    if (rfc3339 == null || rfc3339.equals("-")) {
      return "-";
    }
    try {
      return Instant.parse(rfc3339).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return rfc3339;
    }
  }
}
