package io.fleetcast.gateway.paging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque page cursors: the sort key of the last item of a page, base64url encoded. A key of several
 * columns joins them with {@code |} ({@link #parts}). Decoding never throws: a cursor that is not
 * one of ours gives null, and the caller answers "not a cursor returned by this API".
 */
public final class Cursor {
  /** What every list answers for an {@code after} it cannot decode. */
  public static final String NOT_OURS = "after: not a cursor returned by this API";

  private Cursor() {}

  public static String encode(String key) {
    return key == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The decoded key, or null if the cursor is not one of ours. */
  public static String decode(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The agent/target id a single-column cursor holds, or null if it is not one of ours. */
  public static UUID uuid(String cursor) {
    String key = decode(cursor);
    try {
      return key == null ? null : UUID.fromString(key);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The {@code count} columns of a composite key, or null if the cursor is not one of ours. */
  public static String[] parts(String cursor, int count) {
    String key = decode(cursor);
    if (key == null) {
      return null;
    }
    String[] parts = key.split("\\|", count);
    return parts.length == count ? parts : null;
  }
}
