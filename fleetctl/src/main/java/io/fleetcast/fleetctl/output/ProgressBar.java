package io.fleetcast.fleetctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;

/**
 * One line of rollout progress: a bar of finished targets out of all, and the count of each
 * target state. On a terminal the line is redrawn in place; otherwise a new line is printed
 * only when it changed, so logs stay readable.
 */
public final class ProgressBar {
  /** Target states after which nothing more happens to the target (docs/api.md). */
  public static final List<String> TERMINAL = List.of("succeeded", "failed", "timedOut", "declined", "cancelled",
      "rejected", "expired", "skipped");
  private static final List<String> SHOWN = List.of("succeeded", "failed", "timedOut", "declined", "cancelled",
      "rejected", "expired", "skipped", "running", "acked", "dispatched", "waking", "pending");
  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final boolean redraw;
  private String last = "";

  public ProgressBar(PrintWriter out, boolean redraw) {
    this.out = out;
    this.redraw = redraw;
  }

  public void update(JsonNode rollout) {
    String line = render(rollout);
    if (line.equals(last)) {
      return;
    }
    if (redraw) {
      int pad = Math.max(0, last.length() - line.length());
      out.print("\r" + line + " ".repeat(pad));
    } else {
      out.println(line);
    }
    out.flush();
    last = line;
  }

  /** Ends the redrawn line so that what follows starts on a fresh one. */
  public void finish() {
    if (redraw && !last.isEmpty()) {
      out.println();
      out.flush();
    }
  }

  public static String render(JsonNode rollout) {
    JsonNode counts = rollout.path("counts");
    int total = rollout.path("targets").asInt(0);
    int done = 0;
    for (String s : TERMINAL) {
      done += counts.path(s).asInt(0);
    }
    int filled = total == 0 ? WIDTH : (int) Math.floor((double) done * WIDTH / total);
    int percent = total == 0 ? 100 : (int) Math.floor(100.0 * done / total);
    StringBuilder sb = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(WIDTH - filled))
        .append("] ").append(String.format("%3d%%", percent)).append(' ').append(done).append('/').append(total)
        .append("  ").append(rollout.path("state").asText("?"));
    for (String s : SHOWN) {
      int n = counts.path(s).asInt(0);
      if (n > 0) {
        sb.append("  ").append(s).append(' ').append(n);
      }
    }
    return sb.toString();
  }
}
