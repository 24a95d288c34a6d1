package io.fleetcast.common.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Hazelcast cluster name of an installation: {@code cluster.name} plus a one-way digest of
 * the installation's secret (kept in its Postgres). Every process of one installation shares the
 * database and so the name; a process of another installation (another standalone server on the
 * same host, another test cluster) has another secret and is refused by Hazelcast at join.
 * This separates installations; it is not authentication (the name travels in clear text, the
 * free Hazelcast edition has none; see docs/security.md).
 */
public final class ClusterNames {
  private static final String PURPOSE = "fleetcast/hazelcast-cluster-name/v1";

  private ClusterNames() {}

  public static String forInstallation(String base, byte[] installationSecret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(installationSecret, "HmacSHA256"));
      byte[] digest = mac.doFinal(PURPOSE.getBytes(StandardCharsets.UTF_8));
      return base + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
