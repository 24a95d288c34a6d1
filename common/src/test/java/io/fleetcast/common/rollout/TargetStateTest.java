package io.fleetcast.common.rollout;

import static io.fleetcast.common.rollout.TargetState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The target and rollout states: wire names, which groups each state is in, and the SQL generated for them. */
@Timeout(10)
class TargetStateTest {

  /** Every target state keeps the wire name of the published contract, in SPEC order. */
  @Test
  void targetWireNames() {
    // GIVEN the enum WHEN its wire names are listed THEN they are the documented ones
    assertThat(TargetState.wireNames()).containsExactly("pending", "waking", "dispatched", "acked", "running",
        "succeeded", "failed", "timedOut", "declined", "cancelled", "rejected", "expired", "skipped");
    for (TargetState s : TargetState.values()) {
      assertThat(TargetState.of(s.wire())).isSameAs(s);
      assertThat(s.is(s.wire())).isTrue();
    }
    assertThat(TargetState.known("timedout")).isFalse();
    assertThat(TargetState.in(TargetState.OPEN, "nonsense")).isFalse();
    assertThatThrownBy(() -> TargetState.of("done")).isInstanceOf(IllegalArgumentException.class);
  }

  /** Each target state is in exactly the groups the state machine gives it; open and terminal split all states. */
  @Test
  void targetGroups() {
    // GIVEN the expected groups of every state
    Map<TargetState, Set<String>> expected = Map.ofEntries(
        Map.entry(PENDING, Set.of("open", "notHandedOut")),
        Map.entry(WAKING, Set.of("open", "notHandedOut", "inFlight")),
        Map.entry(DISPATCHED, Set.of("open", "inFlight", "withAgent")),
        Map.entry(ACKED, Set.of("open", "inFlight", "withAgent")),
        Map.entry(RUNNING, Set.of("open", "inFlight", "withAgent")),
        Map.entry(SUCCEEDED, Set.of("terminal")),
        Map.entry(FAILED, Set.of("terminal", "failures")),
        Map.entry(TIMED_OUT, Set.of("terminal", "failures")),
        Map.entry(DECLINED, Set.of("terminal")),
        Map.entry(CANCELLED, Set.of("terminal")),
        Map.entry(REJECTED, Set.of("terminal", "failures")),
        Map.entry(EXPIRED, Set.of("terminal")),
        Map.entry(SKIPPED, Set.of("terminal")));
    Map<String, Set<TargetState>> groups = Map.of("open", OPEN, "notHandedOut", NOT_HANDED_OUT, "inFlight", IN_FLIGHT,
        "withAgent", WITH_AGENT, "terminal", TERMINAL, "failures", FAILURES);

    // WHEN each state is looked up in each group THEN it is in exactly its expected groups
    assertThat(expected.keySet()).containsExactlyInAnyOrder(TargetState.values());
    for (TargetState s : TargetState.values()) {
      for (Map.Entry<String, Set<TargetState>> g : groups.entrySet()) {
        assertThat(g.getValue().contains(s)).as(s + " in " + g.getKey()).isEqualTo(expected.get(s).contains(g.getKey()));
      }
    }
    EnumSet<TargetState> both = EnumSet.copyOf(OPEN);
    both.retainAll(TERMINAL);
    assertThat(both).isEmpty();
    EnumSet<TargetState> all = EnumSet.copyOf(OPEN);
    all.addAll(TERMINAL);
    assertThat(all).containsExactly(TargetState.values());
    assertThatThrownBy(() -> OPEN.add(SKIPPED)).isInstanceOf(UnsupportedOperationException.class);
  }

  /** A rollout state keeps its wire name and is in exactly its groups (active, unhalted, final). */
  @Test
  void rolloutStatesAndGroups() {
    // GIVEN the enum WHEN its names and groups are read THEN they are the documented ones
    assertThat(RolloutState.wireNames()).containsExactly("scheduled", "running", "paused", "halted", "completed",
        "cancelled", "expired");
    assertThat(RolloutState.ACTIVE).containsExactly(RolloutState.SCHEDULED, RolloutState.RUNNING, RolloutState.PAUSED,
        RolloutState.HALTED);
    assertThat(RolloutState.UNHALTED).containsExactly(RolloutState.SCHEDULED, RolloutState.RUNNING, RolloutState.PAUSED);
    assertThat(RolloutState.FINAL).containsExactly(RolloutState.COMPLETED, RolloutState.CANCELLED, RolloutState.EXPIRED);
    EnumSet<RolloutState> all = EnumSet.copyOf(RolloutState.ACTIVE);
    all.addAll(RolloutState.FINAL);
    assertThat(all).containsExactly(RolloutState.values());
    assertThat(RolloutState.in(RolloutState.FINAL, "completed")).isTrue();
    assertThat(RolloutState.HALTED.is("halted")).isTrue();
    assertThatThrownBy(() -> RolloutState.of("done")).isInstanceOf(IllegalArgumentException.class);
  }

  /** The SQL of a state, of a group and of a template is generated in enum order, and an unknown name fails. */
  @Test
  void generatedSql() {
    // GIVEN states and groups WHEN their SQL is generated THEN it is the quoted wire names in enum order
    assertThat(PENDING.sql()).isEqualTo("'pending'");
    assertThat(TIMED_OUT.sql()).isEqualTo("'timedOut'");
    assertThat(SqlStates.list(IN_FLIGHT)).isEqualTo("('waking','dispatched','acked','running')");
    assertThat(SqlStates.list(OPEN)).isEqualTo("('pending','waking','dispatched','acked','running')");
    assertThat(SqlStates.list(FAILURES)).isEqualTo("('failed','timedOut','rejected')");
    assertThat(SqlStates.list(TERMINAL))
        .isEqualTo("('succeeded','failed','timedOut','declined','cancelled','rejected','expired','skipped')");
    assertThat(SqlStates.list(RolloutState.UNHALTED)).isEqualTo("('scheduled','running','paused')");
    assertThat(SqlStates.wires(List.of(RolloutState.PAUSED))).containsExactly("paused");
    assertThat(SqlStates.targets("state = {dispatched} OR state IN {notHandedOut}"))
        .isEqualTo("state = 'dispatched' OR state IN ('pending','waking')");
    assertThat(SqlStates.rollouts("state IN {final} OR state = {halted}"))
        .isEqualTo("state IN ('completed','cancelled','expired') OR state = 'halted'");
    assertThatThrownBy(() -> SqlStates.targets("state = {done}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlStates.list(Set.<TargetState>of())).isInstanceOf(IllegalArgumentException.class);
  }

  /** Every transition statement is filled in: no template name is left and each writes rollout_targets. */
  @Test
  void statementsAreFilled() {
    // GIVEN the statements WHEN they are read THEN none keeps a {name} and each updates rollout_targets
    for (String sql : List.of(TargetTransitions.CLAIM_PENDING, TargetTransitions.CLAIM_NEXT_STEPS,
        TargetTransitions.REDISPATCH_STALE, TargetTransitions.UNDELIVERABLE, TargetTransitions.FINISH_OPEN,
        TargetTransitions.FINISH_NOT_HANDED_OUT, TargetTransitions.MARK_WAKING, TargetTransitions.WAKE_CONNECTED,
        TargetTransitions.WAKE_SWEEP, TargetTransitions.ACK_OR_PROGRESS, TargetTransitions.RESULT_BATCH)) {
      assertThat(sql).doesNotContainPattern("\\{\\w+}").contains("UPDATE rollout_targets");
    }
    assertThat(TargetTransitions.FINISH_OPEN).containsPattern("state IN ?\\('pending','waking','dispatched','acked','running'\\)");
    assertThat(TargetTransitions.FINISH_NOT_HANDED_OUT).containsPattern("state IN ?\\('pending','waking'\\) ");
    assertThat(TargetTransitions.RESULT_BATCH).contains("t.state IN ('dispatched','acked','running') AND NOT t.next_step_ready");
  }
}
