package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The host state machine: the documented path, retry, cancel, and the moves that are refused. */
class HostStateTest {

  /** discovered -> scheduled -> installing -> withAgent is allowed step by step. */
  @Test
  void happyPath() {
    HostState s = HostState.DISCOVERED.moveTo(HostState.SCHEDULED).moveTo(HostState.INSTALLING)
        .moveTo(HostState.WITH_AGENT);
    assertThat(s).isEqualTo(HostState.WITH_AGENT);
    assertThat(HostState.WITH_AGENT.next()).isEmpty();
  }

  /** Only installing hosts can fail; failed hosts can be re-scheduled (retry). */
  @Test
  void failAndRetry() {
    assertThat(HostState.INSTALLING.canMoveTo(HostState.FAILED)).isTrue();
    assertThat(HostState.SCHEDULED.canMoveTo(HostState.FAILED)).isFalse();
    assertThat(HostState.FAILED.canMoveTo(HostState.SCHEDULED)).isTrue();
    assertThat(HostState.from(HostState.SCHEDULED)).containsExactlyInAnyOrder(HostState.DISCOVERED, HostState.FAILED, HostState.INSTALLING);
  }

  /** Skipping installing, or leaving withAgent, is refused with a clear message. */
  @Test
  void refused() {
    assertThatThrownBy(() -> HostState.DISCOVERED.moveTo(HostState.INSTALLING))
        .hasMessageContaining("discovered to installing");
    assertThatThrownBy(() -> HostState.WITH_AGENT.moveTo(HostState.SCHEDULED)).isInstanceOf(IllegalStateException.class);
  }

  /** Wire names round-trip. */
  @Test
  void wire() {
    for (HostState s : HostState.values()) {
      assertThat(HostState.fromWire(s.wire())).contains(s);
    }
    assertThat(HostState.WITH_AGENT.wire()).isEqualTo("withAgent");
  }
}
