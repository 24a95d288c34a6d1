package io.fleetcast.agent.results;

import io.fleetcast.protocol.AgentMessage.Result;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a result frame under the node's frame limit (64 KiB by default): the output is the
 * tail, so when the encoded frame is too big the start of the output is cut (marked) until it
 * fits. JSON escaping and UTF-8 can make one character cost up to 6 bytes, hence the loop.
 */
public final class ResultFrames {
  public static final String CUT_MARK = "[output truncated]\n";
  /** Below the node's default 64 KiB frame limit, with room to spare. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 60 * 1024;

  private ResultFrames() {}

  public static Result fit(Result r, int maxFrameBytes) {
    String output = r.output() == null ? "" : r.output();
    if (output.length() <= Result.MAX_OUTPUT_CHARS && encodedSize(r) <= maxFrameBytes) {
      return r;
    }
    // the encoded size grows with the kept tail: binary-search the longest tail that fits
    int lo = 0;
    int hi = Math.min(output.length(), Result.MAX_OUTPUT_CHARS - CUT_MARK.length());
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (encodedSize(withOutput(r, CUT_MARK + tail(output, mid))) <= maxFrameBytes) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return withOutput(r, CUT_MARK + tail(output, lo));
  }

  /** The last {@code n} characters, without starting in the middle of a surrogate pair. */
  static String tail(String s, int n) {
    int from = s.length() - n;
    if (from > 0 && from < s.length() && Character.isLowSurrogate(s.charAt(from))) {
      from++;
    }
    return s.substring(Math.min(from, s.length()));
  }

  public static int encodedSize(Result r) {
    return r.encode().getBytes(StandardCharsets.UTF_8).length;
  }

  private static Result withOutput(Result r, String output) {
    return r.withOutput(output);
  }
}
