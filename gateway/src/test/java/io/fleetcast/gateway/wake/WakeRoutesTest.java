package io.fleetcast.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.gateway.wake.DirectRoutes.Destination;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Subnet canonical forms and the direct-routes table (JSON, YAML file, errors). */
@Timeout(10)
class WakeRoutesTest {

  /** Host bits are cleared and IPv6 is written in RFC 5952 form, so equal subnets have equal keys. */
  @Test
  void subnetsHaveOneCanonicalForm() {
    assertThat(Subnet.parse("10.1.2.7/24").toString()).isEqualTo("10.1.2.0/24");
    assertThat(Subnet.parse("10.1.2.7/24").broadcast()).isEqualTo("10.1.2.255");
    assertThat(Subnet.parse("127.0.0.1/8").broadcast()).isEqualTo("127.255.255.255");
    assertThat(Subnet.parse("FD00:0:0:0:1:0:0:5/64").toString()).isEqualTo("fd00::/64");
    assertThat(Subnet.parse("2001:db8:0:1:0:0:0:1/128").toString()).isEqualTo("2001:db8:0:1::1/128");
    assertThat(Subnet.parse("fd00::/64").broadcast()).isNull();
    assertThat(Subnet.parse("10.0.0.0/8").contains(Subnet.parse("10.1.2.0/24"))).isTrue();
    assertThat(Subnet.parse("10.1.2.0/24").contains(Subnet.parse("10.0.0.0/8"))).isFalse();
    assertThatThrownBy(() -> Subnet.parse("10.1.2.0")).hasMessageContaining("CIDR");
    assertThatThrownBy(() -> Subnet.parse("10.1.2.0/33")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> Subnet.parse("intranet.example/24")).hasMessageContaining("not an IP literal");
  }

  /** The opsi-style table: exact subnet first, else the longest containing prefix; ports default. */
  @Test
  void routesTableLooksUpByLongestPrefix() {
    DirectRoutes routes = DirectRoutes.fromSetting(new JsonObject()
        .put("10.0.0.0/8", new JsonObject().put("127.0.0.1", 7))
        .put("10.1.2.0/24", new JsonObject().put("127.0.0.1", new io.vertx.core.json.JsonArray().add(9).add(7)))
        .put("192.0.2.0/24", "127.0.0.2").encode(), 40000);
    assertThat(routes.lookup(Subnet.parse("10.1.2.0/24")))
        .containsExactly(new Destination("127.0.0.1", 9), new Destination("127.0.0.1", 7));
    assertThat(routes.lookup(Subnet.parse("10.9.0.0/16"))).containsExactly(new Destination("127.0.0.1", 7));
    assertThat(routes.lookup(Subnet.parse("192.0.2.0/24"))).containsExactly(new Destination("127.0.0.2", 40000));
    assertThat(routes.lookup(Subnet.parse("172.16.0.0/12"))).isEmpty();
  }

  /** The table may live in its own YAML file, and arrives as a nested map from the config file. */
  @Test
  void routesFromAFileAndFromTheConfigFile() throws IOException {
    Path dir = Files.createTempDirectory("wake-routes");
    Path routesFile = dir.resolve("routes.yaml");
    Files.writeString(routesFile, "\"10.1.2.0/24\":\n  \"127.0.0.1\": [9]\n");
    assertThat(DirectRoutes.fromSetting(routesFile.toString(), 9).lookup(Subnet.parse("10.1.2.0/24")))
        .containsExactly(new Destination("127.0.0.1", 9));

    Path config = dir.resolve("fleetcast.yaml");
    Files.writeString(config, "wake:\n  defaultPort: 40001\n  directRoutes:\n    \"192.0.2.0/24\":\n      \"127.0.0.1\": null\n");
    WakeSettings s = WakeSettings.from(FleetcastConfig.load(config, Map.of(), Map.of()));
    assertThat(s.routes().lookup(Subnet.parse("192.0.2.0/24"))).containsExactly(new Destination("127.0.0.1", 40001));
  }

  /** Defaults: no direct route at all (nothing is sent directly unless configured), K = 2, port 9. */
  @Test
  void defaultsSendNothingDirectly() {
    WakeSettings s = WakeSettings.from(FleetcastConfig.of(Map.of()));
    assertThat(s.routes().isEmpty()).isTrue();
    assertThat(s.relaysPerTarget()).isEqualTo(2);
    assertThat(s.defaultPort()).isEqualTo(9);
    assertThat(s.relayBroadcast()).isEqualTo(WakeSettings.BROADCAST_SUBNET);
  }

  /** Names are never resolved and bad entries are refused at start with the offending entry named. */
  @Test
  void badTablesAreRefused() {
    assertThatThrownBy(() -> DirectRoutes.fromSetting("{\"10.1.2.0/24\": {\"bcast.example\": [9]}}", 9))
        .hasMessageContaining("bcast.example").hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> DirectRoutes.fromSetting("{\"10.1.2.0/24\": {\"127.0.0.1\": [70000]}}", 9))
        .hasMessageContaining("not a UDP port");
    assertThatThrownBy(() -> DirectRoutes.fromSetting("{\"10.1.2.0\": \"127.0.0.1\"}", 9))
        .hasMessageContaining("CIDR");
    assertThatThrownBy(() -> WakeSettings.from(FleetcastConfig.of(Map.of("wake.relayBroadcast", "everyone"))))
        .hasMessageContaining("wake.relayBroadcast");
  }
}
