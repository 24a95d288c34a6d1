package io.fleetcast.agent.enroll;

import io.fleetcast.protocol.AgentCredential;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent got at enrollment and keeps in {@code credentials.json}: its identity, where
 * to connect, which keys sign its tasks, its enrollment tags and the TLS pin (if any).
 */
public record Credentials(String agentId, String agentSecret, String gatewayUrl, List<String> nodes,
    List<SigningKey> signingKeys, List<String> enrollmentTags, String caSha256, Instant enrolledAt) {

  public Credentials {
    nodes = List.copyOf(nodes == null ? List.of() : nodes);
    signingKeys = List.copyOf(signingKeys == null ? List.of() : signingKeys);
    enrollmentTags = List.copyOf(enrollmentTags == null ? List.of() : enrollmentTags);
  }

  public AgentCredential credential() {
    return new AgentCredential(agentId, agentSecret);
  }

  public Credentials withNodes(List<String> newNodes) {
    return new Credentials(agentId, agentSecret, gatewayUrl, newNodes, signingKeys, enrollmentTags, caSha256,
        enrolledAt);
  }

  public Credentials withSigningKeys(List<SigningKey> keys) {
    return new Credentials(agentId, agentSecret, gatewayUrl, nodes, keys, enrollmentTags, caSha256, enrolledAt);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("agentId", agentId).put("agentSecret", agentSecret)
        .put("gatewayUrl", gatewayUrl).put("nodes", new JsonArray(new ArrayList<>(nodes)))
        .put("signingKeys", SigningKey.listToJson(signingKeys))
        .put("tags", new JsonArray(new ArrayList<>(enrollmentTags)));
    if (caSha256 != null) {
      j.put("caSha256", caSha256);
    }
    if (enrolledAt != null) {
      j.put("enrolledAt", enrolledAt.toString());
    }
    return j;
  }

  public static Credentials fromJson(JsonObject j) {
    String id = j.getString("agentId");
    String secret = j.getString("agentSecret");
    if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("credentials lack agentId or agentSecret");
    }
    String at = j.getString("enrolledAt");
    return new Credentials(id, secret, j.getString("gatewayUrl"), strings(j.getJsonArray("nodes")),
        SigningKey.listFromJson(j.getJsonArray("signingKeys")), strings(j.getJsonArray("tags")),
        j.getString("caSha256"), at == null ? null : Instant.parse(at));
  }

  static List<String> strings(JsonArray arr) {
    List<String> out = new ArrayList<>();
    if (arr != null) {
      for (Object o : arr) {
        if (o instanceof String s && !s.isBlank()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    // never log the secret
    return "Credentials[agentId=" + agentId + ", nodes=" + nodes + ", keys=" + signingKeys.size() + "]";
  }

  /** The enrollment tags together with {@code configured} ones, sorted, without repeats. */
  public List<String> tagsWith(List<String> configured) {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(configured);
    all.addAll(enrollmentTags);
    return List.copyOf(all);
  }
}
