package io.fleetcast.fleetctl.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.ExitCodes;
import io.fleetcast.fleetctl.output.Json;
import org.junit.jupiter.api.Test;

class WatchOutcomeTest {

  private static JsonNode rollout(String state, String counts) {
    return Json.parse("{\"id\":\"r1\",\"state\":\"" + state + "\",\"targets\":10,\"counts\":" + counts + "}");
  }

  /** Success only when every target succeeded: a completed rollout with one failed target is exit 5. */
  @Test
  void exitCodePerFinalState() {
    assertThat(WatchOutcome.exitCode(rollout("completed", "{\"succeeded\":10}"))).isEqualTo(ExitCodes.OK);
    assertThat(WatchOutcome.exitCode(rollout("completed", "{\"succeeded\":9,\"failed\":1}")))
        .isEqualTo(ExitCodes.ROLLOUT_FAILED);
    assertThat(WatchOutcome.exitCode(rollout("completed", "{\"failed\":10}"))).isEqualTo(ExitCodes.ROLLOUT_FAILED);
    assertThat(WatchOutcome.exitCode(rollout("halted", "{\"failed\":3}"))).isEqualTo(ExitCodes.ROLLOUT_FAILED);
    assertThat(WatchOutcome.exitCode(rollout("cancelled", "{}"))).isEqualTo(ExitCodes.ROLLOUT_FAILED);
    assertThat(WatchOutcome.exitCode(rollout("expired", "{\"expired\":2}"))).isEqualTo(ExitCodes.ROLLOUT_FAILED);
    assertThat(WatchOutcome.exitCode(rollout("expired", "{\"succeeded\":10}"))).isEqualTo(ExitCodes.OK);
  }

  /** Watching goes on through running and paused; halted stops it, since it waits for a person. */
  @Test
  void whichStatesEndTheWatch() {
    assertThat(WatchOutcome.isOver(rollout("running", "{}"))).isFalse();
    assertThat(WatchOutcome.isOver(rollout("paused", "{}"))).isFalse();
    assertThat(WatchOutcome.isOver(rollout("scheduled", "{}"))).isFalse();
    assertThat(WatchOutcome.isOver(rollout("halted", "{}"))).isTrue();
  }

  /** The summary counts successes and everything that did not succeed. */
  @Test
  void summaryLine() {
    assertThat(WatchOutcome.summary(rollout("completed", "{\"succeeded\":7,\"failed\":2,\"timedOut\":1}")))
        .isEqualTo("rollout r1 completed: 7 succeeded, 3 failed or not done, of 10 targets");
  }
}
