package io.fleetcast.agent.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.update.PendingUpdate.Stage;
import io.fleetcast.agent.update.UpdateRecovery.Decision;
import org.junit.jupiter.api.Test;

/** What a starting agent decides about a pending self-update, for every stage and version. */
class UpdateRecoveryTest {
  static PendingUpdate p(Stage s) {
    return new PendingUpdate("t1", "1.0", "2.0", s, 30, 0, null);
  }

  /** The new version waits for its connection; the old one reports the rollback. */
  @Test
  void started() {
    assertThat(UpdateRecovery.decide(p(Stage.STARTED), "2.0")).isEqualTo(Decision.AWAIT_CONNECT);
    assertThat(UpdateRecovery.decide(p(Stage.STARTED), "1.0")).isEqualTo(Decision.REPORT_ROLLBACK);
  }

  /** Confirmed but not reported (stopped in between): the new version reports success on the next start. */
  @Test
  void confirmed() {
    assertThat(UpdateRecovery.decide(p(Stage.CONFIRMED), "2.0")).isEqualTo(Decision.REPORT_SUCCESS);
  }

  /** Rolled back, or staged and never started: a failure is reported; no pending update: nothing. */
  @Test
  void failures() {
    assertThat(UpdateRecovery.decide(p(Stage.ROLLED_BACK), "1.0")).isEqualTo(Decision.REPORT_ROLLBACK);
    assertThat(UpdateRecovery.decide(p(Stage.STAGED), "1.0")).isEqualTo(Decision.REPORT_ABANDONED);
    assertThat(UpdateRecovery.decide(null, "1.0")).isEqualTo(Decision.NONE);
  }
}
