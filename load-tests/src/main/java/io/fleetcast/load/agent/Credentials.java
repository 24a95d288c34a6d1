package io.fleetcast.load.agent;

import io.fleetcast.common.security.AgentSecrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/** Who simulated agent {@code i} is and how it authenticates. */
public interface Credentials {
  String agentId(int index);

  String secret(int index);

  default String authorization(int index) {
    return "Bearer " + agentId(index) + "." + secret(index);
  }

  /**
   * Pre-provisioned credentials: ids from {@link AgentIds}, secrets derived from the cluster
   * key exactly as the nodes check them (HMAC-SHA256, {@link AgentSecrets}). This is how a
   * fleet provisioned by imaging (not one enrollment call per machine) would authenticate.
   */
  static Credentials derived(long seed, byte[] clusterKey) {
    AgentSecrets secrets = new AgentSecrets(clusterKey);
    return new Credentials() {
      @Override
      public String agentId(int index) {
        return AgentIds.id(seed, index);
      }

      @Override
      public String secret(int index) {
        return secrets.secretFor(agentId(index));
      }
    };
  }

  /** Credentials handed out by {@code POST /api/v1/enroll}: {@code [[agentId, secret], ...]} indexed from 0. */
  static Credentials enrolled(JsonArray pairs) {
    return new Credentials() {
      @Override
      public String agentId(int index) {
        return pairs.getJsonArray(index).getString(0);
      }

      @Override
      public String secret(int index) {
        return pairs.getJsonArray(index).getString(1);
      }
    };
  }

  /** {@code {"mode":"derived","seed":n,"key":base64}} or {@code {"mode":"enrolled","pairs":[...]}}. */
  static Credentials fromJson(JsonObject j) {
    return switch (j.getString("mode")) {
      case "derived" -> derived(j.getLong("seed"), Base64.getDecoder().decode(j.getString("key")));
      case "enrolled" -> enrolled(j.getJsonArray("pairs"));
      default -> throw new IllegalArgumentException("unknown credentials mode " + j.getString("mode"));
    };
  }
}
