package io.fleetcast.gateway.paging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Opaque page cursors. */
@Timeout(10)
class CursorTest {

  /** A key survives encode and decode, and the cursor is URL-safe. */
  @Test
  void roundTrips() {
    // GIVEN sort keys with characters that need care in URLs
    String key = "2026-01-01T00:00:00Z|5b6c1a0e-8a0c-4b53-9d0e-3f3d2b6a7c11/+?&=\u00e9";

    // WHEN one is encoded and decoded
    String cursor = Cursor.encode(key);

    // THEN the cursor has only URL-safe characters and decodes to the key
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
    assertThat(Cursor.decode(cursor)).isEqualTo(key);
    assertThat(Cursor.encode(null)).isNull();
  }

  /** Garbage, null and blank cursors decode to null (treated as "from the start" or refused by the caller). */
  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "not base64!", "a", "abc$", "====", "a=b"})
  void garbageDecodesToNull(String cursor) {
    // GIVEN something that is not one of our cursors
    // WHEN it is decoded
    // THEN there is no key
    assertThat(Cursor.decode(cursor)).isNull();
  }
}
