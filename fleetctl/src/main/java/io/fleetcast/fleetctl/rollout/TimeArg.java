package io.fleetcast.fleetctl.rollout;

import io.fleetcast.fleetctl.CliException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A time on the command line: RFC 3339 ({@code 2026-12-01T00:00:00Z}) or from now ({@code 90m}, {@code 2h}, {@code 1d}). */
public final class TimeArg {
  private static final Pattern RELATIVE = Pattern.compile("^\\+?(\\d+)([smhd])$");

  private TimeArg() {}

  public static String toRfc3339(String option, String value, Instant now) {
    Matcher m = RELATIVE.matcher(value.trim());
    if (m.matches()) {
      return now.plus(duration(m)).truncatedTo(ChronoUnit.SECONDS).toString();
    }
    try {
      return Instant.parse(value.trim()).toString();
    } catch (DateTimeParseException e) {
      throw CliException.usage(option + ": '" + value + "' is neither an RFC 3339 UTC time "
          + "(2026-12-01T00:00:00Z) nor a duration from now (30m, 2h, 1d)");
    }
  }

  /** A duration only ({@code 90m}, {@code 2h}, {@code 1d}); a usage error otherwise. */
  public static Duration requireDuration(String option, String value) {
    Matcher m = RELATIVE.matcher(value.trim());
    if (!m.matches()) {
      throw CliException.usage(option + ": '" + value + "' is not a duration (30m, 2h, 1d)");
    }
    return duration(m);
  }

  private static Duration duration(Matcher m) {
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
