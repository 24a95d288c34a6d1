package io.fleetcast.load.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SourceAddressesTest {

  /** A last-octet range becomes that many loopback addresses; a retry moves to the next one. */
  @Test
  void rangeSpreadsOverLoopback() {
    SourceAddresses s = SourceAddresses.parse("127.0.0.10-127.0.0.19");
    assertThat(s.size()).isEqualTo(10);
    assertThat(s.pick(0, 0).getAddress().getHostAddress()).isEqualTo("127.0.0.10");
    assertThat(s.pick(0, 1).getAddress().getHostAddress()).isEqualTo("127.0.0.11");
    assertThat(s.pick(13, 0).getAddress().getHostAddress()).isEqualTo("127.0.0.13");
    assertThat(s.pick(0, 0).getPort()).isZero();
  }

  /** Only 127.0.0.0/8: the load tests never bind or send outside loopback. */
  @Test
  void refusesAddressesOutsideLoopback() {
    assertThatThrownBy(() -> SourceAddresses.parse("10.0.0.1-10.0.0.5")).isInstanceOf(IllegalArgumentException.class);
  }
}
