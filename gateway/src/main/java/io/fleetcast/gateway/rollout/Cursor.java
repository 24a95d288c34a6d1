package io.fleetcast.gateway.rollout;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque page cursors: the sort key of the last item, base64url encoded. */
public final class Cursor {
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
}
