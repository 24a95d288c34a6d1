package io.fleetcast.agent.connection;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Parses an HTTP {@code Retry-After}: delta seconds or an HTTP date. */
public final class RetryAfter {
  private RetryAfter() {}

  /** Seconds to wait; -1 when absent or unparsable. */
  public static long seconds(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String h = header.trim();
    try {
      return Math.max(0, Long.parseLong(h));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Math.max(0, Duration.between(now, at).toSeconds());
      } catch (RuntimeException notDate) {
        return -1;
      }
    }
  }
}
