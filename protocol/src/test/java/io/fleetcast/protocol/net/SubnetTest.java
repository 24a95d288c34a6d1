package io.fleetcast.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals and networks: parsing without lookups, canonical text, membership and broadcast. */
class SubnetTest {

  /** A network is kept with its host bits cleared, in canonical text (RFC 5952 for IPv6). */
  @Test
  void canonicalNetwork() {
    assertThat(Subnet.parse("10.1.2.7/24")).hasToString("10.1.2.0/24");
    assertThat(Subnet.parse(" fd00:1:0:0:0:0:0:5/64 ")).hasToString("fd00:1::/64");
    assertThat(Subnet.parse("10.1.2.7/24")).isEqualTo(Subnet.parse("10.1.2.0/24"));
    assertThat(Subnet.canonicalOrNull("10.1.2.0")).isNull();
    assertThat(IpLiteral.canonicalOrNull("2001:DB8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
  }

  /** parse insists on a prefix and names what is wrong; parseOrHost takes a bare address as its host route. */
  @Test
  void parseAndHostRoutes() {
    assertThatThrownBy(() -> Subnet.parse("10.1.2.0")).hasMessageContaining("expected CIDR");
    assertThatThrownBy(() -> Subnet.parse("10.1.2.0/33")).hasMessageContaining("prefix length must be 0-32");
    assertThatThrownBy(() -> Subnet.parse("example.com/8")).hasMessageContaining("not an IP literal");
    assertThatThrownBy(() -> Subnet.parse(" ")).hasMessage("subnet is empty");
    assertThat(Subnet.parseOrHost("10.1.2.3")).hasToString("10.1.2.3/32");
    assertThat(Subnet.parseOrHost("::1")).hasToString("::1/128");
  }

  /** Membership of addresses and networks holds within one family only. */
  @Test
  void membership() throws Exception {
    Subnet net = Subnet.of(InetAddress.getByName("10.20.3.4"), 16);
    assertThat(net).hasToString("10.20.0.0/16");
    assertThat(net.contains("10.20.255.1")).isTrue();
    assertThat(net.contains("10.21.0.1")).isFalse();
    assertThat(net.contains("not-an-ip")).isFalse();
    assertThat(net.contains(Subnet.parse("10.20.4.0/24"))).isTrue();
    assertThat(net.contains(Subnet.parse("10.0.0.0/8"))).isFalse();
    assertThat(Subnet.parse("::/0").contains("10.0.0.1")).isFalse();
    assertThat(Subnet.parse("fd00:1::/64").contains("fd00:1::abcd")).isTrue();
    assertThat(Subnet.parse("fe80::/10").contains("[fe80::1%eth0]")).isTrue();
  }

  /** The directed broadcast address exists for IPv4 only. */
  @Test
  void broadcast() {
    assertThat(Subnet.parse("10.20.0.0/16").broadcast()).isEqualTo("10.20.255.255");
    assertThat(Subnet.parse("10.1.2.3/32").broadcast()).isEqualTo("10.1.2.3");
    assertThat(Subnet.parse("fd00::/64").broadcast()).isNull();
  }

  /** Only literals parse: names, out-of-range octets and garbage give null or a clear error, never a lookup. */
  @ParameterizedTest
  @ValueSource(strings = {"example.com", "localhost", "300.1.1.1", "1.2.3", "g::1", "", "cafe.babe:1"})
  void notLiterals(String s) {
    assertThat(IpLiteral.bytesOrNull(s)).isNull();
    assertThatThrownBy(() -> IpLiteral.parse(s)).isInstanceOf(IllegalArgumentException.class);
  }

  /** An IPv4-mapped IPv6 literal stays IPv6 (16 bytes), so it never matches an IPv4 network by accident. */
  @Test
  void mappedStaysIpv6() {
    assertThat(IpLiteral.bytesOrNull("::ffff:1.2.3.4")).hasSize(16);
    assertThat(Subnet.parse("1.2.3.0/24").contains("::ffff:1.2.3.4")).isFalse();
    assertThat(Subnet.parse("::ffff:1.2.3.0/120").contains("::ffff:1.2.3.4")).isTrue();
  }
}
