package io.fleetcast.protocol;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Agent, task and rollout ids are UUIDs, written in one canonical form everywhere (lower-case
 * 8-4-4-4-12 hex): ids typed by people arrive in any case, and a string comparison of two
 * spellings of one id must never decide whether a task is in scope.
 */
public final class AgentIds {
  private static final Pattern UUID_TEXT =
      Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private AgentIds() {}

  /**
   * The canonical form of {@code s}, or null when it is not a UUID written out in full
   * ({@link UUID#fromString} alone also accepts short forms such as {@code 1-2-3-4-5}).
   */
  public static String canonical(String s) {
    if (s == null || s.length() != 36 || !UUID_TEXT.matcher(s).matches()) {
      return null;
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /** The UUID {@code s} names, or null when it is not a UUID written out in full. */
  public static UUID parse(String s) {
    String c = canonical(s);
    return c == null ? null : UUID.fromString(c);
  }

  public static boolean isUuid(String s) {
    return canonical(s) != null;
  }
}
