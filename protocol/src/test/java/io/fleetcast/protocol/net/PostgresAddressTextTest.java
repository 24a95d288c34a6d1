package io.fleetcast.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Permission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strict IP and CIDR text checks. "Valid" here means what Postgres' inet/cidr accept, since
 * agent facts that pass go into {@code ::inet} casts of a whole batch.
 */
@Timeout(10)
class PostgresAddressTextTest {

  /** Dotted-quad IPv4 addresses are accepted. */
  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "10.0.0.7", "192.168.1.255", "255.255.255.255", "1.2.3.4"})
  void validV4(String s) {
    // GIVEN a well-formed IPv4 address
    // WHEN it is checked
    // THEN it is an IP
    assertThat(IpLiteral.isPostgresInet(s)).isTrue();
  }

  /** Malformed IPv4 text, leading zeros included (ambiguous octal), is refused. */
  @ParameterizedTest
  @ValueSource(strings = {"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1.2.3.4.", " 1.2.3.4", "1.2.3.4 ",
      "1.2.3.-4", "1.2.3.4/32", "0x1.2.3.4", "", "1..2.3"})
  void invalidV4(String s) {
    // GIVEN malformed IPv4 text
    // WHEN it is checked
    // THEN it is refused
    assertThat(IpLiteral.isPostgresInet(s)).isFalse();
  }

  /** IPv6 addresses in their usual forms are accepted, embedded IPv4 included. */
  @ParameterizedTest
  @ValueSource(strings = {"::", "::1", "1::", "fe80::1", "FE80::AbCd", "2001:db8:0:0:0:0:0:1",
      "abcd:ef01:2345:6789:abcd:ef01:2345:6789", "::ffff:1.2.3.4", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "0000:0000::1"})
  void validV6(String s) {
    // GIVEN a well-formed IPv6 address
    // WHEN it is checked
    // THEN it is an IP
    assertThat(IpLiteral.isPostgresInet(s)).isTrue();
  }

  /**
   * Malformed IPv6 text is refused, including forms the JDK parses but Postgres refuses
   * (groups of five digits, embedded IPv4 with leading zeros), zone ids and brackets.
   */
  @ParameterizedTest
  @ValueSource(strings = {":::1", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::1", "00000::1", "::098ce", "1::01c04:7c",
      "::ffff:01.2.3.4", "::1.2.3.04", "::ffff:256.1.1.1", "1.2.3.4::", "fe80::1%eth0", "[::1]", "g::1", "1:2",
      "1.2.3.4:80", ":"})
  void invalidV6(String s) {
    // GIVEN malformed IPv6 text
    // WHEN it is checked
    // THEN it is refused
    assertThat(IpLiteral.isPostgresInet(s)).isFalse();
  }

  /** Blocks with a prefix in range are CIDRs, also with host bits set (an interface address with its prefix). */
  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/8", "10.0.0.7/24", "0.0.0.0/0", "1.2.3.4/32", "::/0", "fe80::/10", "2001:db8::1/64",
      "::1/128", "::ffff:1.2.3.0/120"})
  void validCidr(String s) {
    // GIVEN a block with a prefix within its family's bounds
    // WHEN it is checked
    // THEN it is a CIDR
    assertThat(Subnet.isPostgresCidr(s)).isTrue();
  }

  /** Out-of-range prefixes, odd prefix spellings and missing parts are refused. */
  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "::/129", "10.0.0.0/", "10.0.0.0", "/8", "10.0.0.0/8/8",
      "10.0.0.0/+8", "::/+0", "::1/0128", "10.0.0.0/\u0663", "10.0.0.0/ 8", "10.0.0.0/8 ", "10.0.0/8", "host/8",
      "10.0.0.0/99999999999"})
  void invalidCidr(String s) {
    // GIVEN malformed CIDR text
    // WHEN it is checked
    // THEN it is refused
    assertThat(Subnet.isPostgresCidr(s)).isFalse();
  }

  /** Null input is refused, not an exception. */
  @Test
  void nullIsRefused() {
    // GIVEN null
    // WHEN it is checked
    // THEN it is neither an IP nor a CIDR
    assertThat(IpLiteral.isPostgresInet(null)).isFalse();
    assertThat(Subnet.isPostgresCidr(null)).isFalse();
  }

  /** Host bits right of the prefix are detected (Postgres' cidr refuses them), in both families. */
  @Test
  void hostBits() {
    // GIVEN blocks with and without host bits
    // WHEN they are checked
    // THEN only the ones with bits right of the prefix are flagged
    assertThat(Subnet.hasHostBits("10.20.0.1/16")).isTrue();
    assertThat(Subnet.hasHostBits("10.20.0.0/16")).isFalse();
    assertThat(Subnet.hasHostBits("10.20.0.0/15")).isFalse();
    assertThat(Subnet.hasHostBits("10.21.0.0/15")).isTrue();
    assertThat(Subnet.hasHostBits("1.2.3.4/32")).isFalse();
    assertThat(Subnet.hasHostBits("0.0.0.0/0")).isFalse();
    assertThat(Subnet.hasHostBits("2001:db8::1/64")).isTrue();
    assertThat(Subnet.hasHostBits("2001:db8::/32")).isFalse();
    assertThat(Subnet.hasHostBits("::ffff:1.2.3.0/120")).isFalse();
    assertThat(Subnet.hasHostBits("::ffff:1.2.3.4/120")).isTrue();
    assertThat(Subnet.hasHostBits("::ffff:1.2.3.4/64")).isTrue();
  }

  /**
   * No input ever makes the check look a name up (an agent's facts must not cause DNS queries on
   * an event loop): observed through the JDK's lookup permission check.
   */
  @Test
  @SuppressWarnings("removal")
  void neverResolvesNames() {
    // GIVEN a security manager that records every host name lookup (JDK 17 still allows installing one)
    Set<String> lookups = ConcurrentHashMap.newKeySet();
    SecurityManager recorder = new SecurityManager() {
      @Override
      public void checkConnect(String host, int port) {
        if (port == -1) {
          lookups.add(host);
        }
      }

      @Override
      public void checkPermission(Permission perm) {}

      @Override
      public void checkPermission(Permission perm, Object context) {}
    };
    List<String> inputs = List.of("localhost", "example.com", ".:1", "..:", ".::1", ":.:", "a.b:c", "face:b00c.",
        "dead::beef.", "cafe.babe:1", "ab:cd.ef", "1.2.3.4:80", "localhost/8", ".::1/64", "cafe.babe:1/8");

    // WHEN hostile inputs are checked
    try {
      System.setSecurityManager(recorder);
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("this JDK does not allow installing a security manager");
    }
    try {
      for (String s : inputs) {
        IpLiteral.isPostgresInet(s);
        if (Subnet.isPostgresCidr(s)) {
          Subnet.hasHostBits(s);
        }
      }
    } finally {
      System.setSecurityManager(null);
    }

    // THEN none of them was looked up
    lookups.retainAll(inputs.stream().flatMap(s -> java.util.stream.Stream.of(s, s.split("/")[0])).toList());
    assertThat(lookups).isEmpty();
  }
}
