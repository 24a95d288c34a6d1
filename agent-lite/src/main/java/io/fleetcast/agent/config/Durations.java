package io.fleetcast.agent.config;

import java.time.Duration;
import java.util.Locale;

/** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}, or bare seconds. */
public final class Durations {
  private Durations() {}

  public static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = Long.parseLong(s.replaceAll("[smhd]$", ""));
      return switch (s.charAt(s.length() - 1)) {
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> Duration.ofSeconds(n);
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 500ms, 30s, 5m, 1h)");
    }
  }
}
