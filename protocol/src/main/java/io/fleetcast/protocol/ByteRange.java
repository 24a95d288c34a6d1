package io.fleetcast.protocol;

/**
 * One byte range of an HTTP {@code Range: bytes=a-b} request against a blob of {@code size}
 * bytes; only a single range is supported (that is what resuming downloaders send).
 */
public record ByteRange(long offset, long length, boolean partial) {

  /** Thrown for a range outside the blob: the answer is 416. */
  public static final class Unsatisfiable extends Exception {
    Unsatisfiable(String message) {
      super(message, null, false, false);
    }
  }

  public static ByteRange parse(String header, long size) throws Unsatisfiable {
    if (header == null || header.isBlank()) {
      return new ByteRange(0, size, false);
    }
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
      return new ByteRange(0, size, false); // unsupported form: RFC 9110 lets us ignore it and send all
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return new ByteRange(0, size, false);
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix <= 0) {
          throw new Unsatisfiable("empty suffix range");
        }
        long len = Math.min(suffix, size);
        return new ByteRange(size - len, len, true);
      }
      long from = Long.parseLong(a);
      long to = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      if (from >= size || to < from) {
        throw new Unsatisfiable("range " + spec + " outside 0-" + (size - 1));
      }
      return new ByteRange(from, to - from + 1, true);
    } catch (NumberFormatException e) {
      return new ByteRange(0, size, false);
    }
  }

  public String contentRange(long size) {
    return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
  }
}
