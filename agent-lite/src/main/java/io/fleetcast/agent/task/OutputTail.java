package io.fleetcast.agent.task;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes of a process's merged stdout+stderr in a ring buffer,
 * so a chatty process costs bounded memory. Thread-safe: the reader thread appends, the agent
 * takes the text at the end.
 */
public final class OutputTail {
  public static final int DEFAULT_CAPACITY = 64 * 1024;

  private final byte[] ring;
  private long total;

  public OutputTail() {
    this(DEFAULT_CAPACITY);
  }

  public OutputTail(int capacity) {
    ring = new byte[capacity];
  }

  public synchronized void append(byte[] b, int off, int len) {
    if (len >= ring.length) {
      // only the chunk's last bytes survive; count the skipped ones so the ring stays aligned
      int skipped = len - ring.length;
      total += skipped;
      off += skipped;
      len = ring.length;
    }
    int pos = (int) (total % ring.length);
    int first = Math.min(len, ring.length - pos);
    System.arraycopy(b, off, ring, pos, first);
    System.arraycopy(b, off + first, ring, 0, len - first);
    total += len;
  }

  public void append(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    append(b, 0, b.length);
  }

  /** Bytes written in total, including those that fell out of the tail. */
  public synchronized long totalBytes() {
    return total;
  }

  public synchronized boolean truncated() {
    return total > ring.length;
  }

  /** The kept bytes as UTF-8 text; a multi-byte character cut at the start is dropped. */
  public synchronized String text() {
    int len = (int) Math.min(total, ring.length);
    byte[] out = new byte[len];
    int start = (int) ((total - len) % ring.length);
    int first = Math.min(len, ring.length - start);
    System.arraycopy(ring, start, out, 0, first);
    System.arraycopy(ring, 0, out, first, len - first);
    int skip = 0;
    if (total > ring.length) {
      while (skip < out.length && skip < 3 && (out[skip] & 0xC0) == 0x80) {
        skip++;
      }
    }
    return decode(out, skip);
  }

  private static String decode(byte[] b, int off) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      CharBuffer cb = dec.decode(ByteBuffer.wrap(b, off, b.length - off));
      return cb.toString();
    } catch (CharacterCodingException e) {
      return new String(b, off, b.length - off, StandardCharsets.UTF_8);
    }
  }
}
