package io.fleetcast.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.security.Tokens;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The Hazelcast cluster name is the same for one installation's secret and differs between installations. */
class ClusterNamesTest {

  /** Processes sharing the secret (one database) get one name; another secret gives another name; the name reveals no secret. */
  @Test
  void nameIsBoundToTheInstallationSecret() {
    byte[] a = Tokens.randomBytes(32);
    byte[] b = Tokens.randomBytes(32);
    String nameA = ClusterNames.forInstallation("fleetcast", a);
    assertThat(ClusterNames.forInstallation("fleetcast", a.clone())).isEqualTo(nameA);
    assertThat(ClusterNames.forInstallation("fleetcast", b)).isNotEqualTo(nameA);
    assertThat(nameA).startsWith("fleetcast-").hasSize("fleetcast-".length() + 16)
        .doesNotContain(HexFormat.of().formatHex(a, 0, 8)).doesNotContain(Base64.getEncoder().encodeToString(a).substring(0, 8));
    assertThat(ClusterNames.forInstallation("other", a)).startsWith("other-");
  }
}
