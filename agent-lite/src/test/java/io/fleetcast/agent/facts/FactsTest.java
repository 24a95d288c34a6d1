package io.fleetcast.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.net.IpLiteral;
import io.fleetcast.protocol.net.Subnet;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class FactsTest {

  /** An interface address and prefix give the network in CIDR form; membership works both ways. */
  @Test
  void cidrFromInterfaceAddress() throws Exception {
    Subnet c = Subnet.of(InetAddress.getByName("10.20.3.4"), 16);
    assertThat(c).hasToString("10.20.0.0/16");
    assertThat(c.contains("10.20.255.1")).isTrue();
    assertThat(c.contains("10.21.0.1")).isFalse();
    assertThat(c.broadcast()).isEqualTo("10.20.255.255");
    assertThat(Subnet.parse("fd00:1::5/64")).hasToString("fd00:1::/64");
    assertThat(Subnet.parse("fd00:1::/64").contains("fd00:1::abcd")).isTrue();
    assertThat(Subnet.parse("127.0.0.0/8").contains("127.0.0.1")).isTrue();
  }

  /** Host names are never resolved: only IP literals parse. */
  @Test
  void onlyLiterals() {
    assertThatThrownBy(() -> IpLiteral.parse("example.com")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Subnet.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpLiteral.parse("300.1.1.1")).isInstanceOf(IllegalArgumentException.class);
  }

  /** who and query user output give sorted, de-duplicated user names. */
  @Test
  void parsesLoggedOnUsers() {
    String who = "alice    tty7         2026-01-01 09:00 (:0)\nbob      pts/0        2026-01-01 09:05 (10.0.0.9)\n"
        + "alice    pts/1        2026-01-01 09:10 (:0)\n";
    assertThat(LoggedOnUsers.parseWho(who)).containsExactly("alice", "bob");
    assertThat(LoggedOnUsers.parseWho("")).isEmpty();
    String query = " USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME\n"
        + ">carol                 console             1  Active      none   1/1/2026 9:00 AM\n"
        + " dave                                      2  Disc        1:02   1/1/2026 8:00 AM\n";
    assertThat(LoggedOnUsers.parseQueryUser(query)).containsExactly("carol", "dave");
  }

  /** The real machine's facts have the contract's shape: CIDR subnets that contain the reported IPs. */
  @Test
  void systemFactsAreConsistent() {
    Facts f = new SystemFactsProvider(null).collect();
    assertThat(f.hostname()).isNotBlank();
    assertThat(f.os()).isNotBlank();
    assertThat(f.arch()).isNotBlank();
    for (String subnet : f.subnets()) {
      Subnet c = Subnet.parse(subnet);
      assertThat(c.toString()).isEqualTo(subnet);
      assertThat(f.ips().stream().anyMatch(c::contains)).as(subnet).isTrue();
    }
    f.macs().forEach(m -> assertThat(m).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"));
  }
}
