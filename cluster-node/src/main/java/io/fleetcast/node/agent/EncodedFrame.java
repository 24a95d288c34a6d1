package io.fleetcast.node.agent;

import java.nio.charset.StandardCharsets;

/** A text frame encoded to UTF-8 once, then written to any number of sockets without re-encoding. */
public final class EncodedFrame {
  private final String text;
  private final byte[] utf8;

  public EncodedFrame(String text) {
    this.text = text;
    this.utf8 = text.getBytes(StandardCharsets.UTF_8);
  }

  public String text() {
    return text;
  }

  /** Shared, never modified. */
  public byte[] utf8() {
    return utf8;
  }
}
