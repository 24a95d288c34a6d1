package io.fleetcast.fleetctl.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.ExitCodes;
import java.util.List;
import java.util.Set;

/** How {@code rollout watch} ends for a rollout state: the exit code and one summary line. */
public final class WatchOutcome {
  /** States after which watching is over; halted counts, since it waits for an operator. */
  public static final Set<String> STOP_STATES = Set.of("completed", "cancelled", "expired", "halted");
  /** Every final target state other than succeeded. */
  private static final List<String> FAILED_TARGETS = List.of("failed", "timedOut", "declined", "cancelled", "rejected",
      "expired", "skipped");

  private WatchOutcome() {}

  public static boolean isOver(JsonNode rollout) {
    return STOP_STATES.contains(rollout.path("state").asText());
  }

  /**
   * 0 only when every target succeeded: a rollout that completed with failed targets (no
   * failure threshold set) must not pass a script's or CI job's gate.
   */
  public static int exitCode(JsonNode rollout) {
    return switch (rollout.path("state").asText()) {
      case "completed", "expired" -> failures(rollout) == 0 ? ExitCodes.OK : ExitCodes.ROLLOUT_FAILED;
      default -> ExitCodes.ROLLOUT_FAILED;
    };
  }

  public static String summary(JsonNode rollout) {
    String state = rollout.path("state").asText("?");
    StringBuilder sb = new StringBuilder("rollout ").append(rollout.path("id").asText()).append(' ').append(state);
    String reason = rollout.path("reason").asText("");
    if (!reason.isBlank() && !reason.equals("null")) {
      sb.append(" (").append(reason).append(')');
    }
    sb.append(": ").append(rollout.path("counts").path("succeeded").asInt(0)).append(" succeeded, ")
        .append(failures(rollout)).append(" failed or not done, of ").append(rollout.path("targets").asInt(0))
        .append(" targets");
    return sb.toString();
  }

  static int failures(JsonNode rollout) {
    int n = 0;
    for (String s : FAILED_TARGETS) {
      n += rollout.path("counts").path(s).asInt(0);
    }
    return n;
  }
}
