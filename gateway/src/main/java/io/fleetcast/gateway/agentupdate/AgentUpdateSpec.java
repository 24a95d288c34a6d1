package io.fleetcast.gateway.agentupdate;

import io.fleetcast.gateway.error.BodyReader;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The spec of a rollout step of kind {@code agentUpdate}: which release ({@code version}), where
 * to download it ({@code url}), its {@code sha256}, {@code size}, Ed25519 {@code signature} and
 * {@code keyId}, and how long the new version has to connect and report itself
 * ({@code connectTimeoutSeconds}) before the agent's launcher rolls it back.
 * {@code GET /api/v1/agent-releases/{version}} answers a ready-made one.
 */
public final class AgentUpdateSpec {
  public static final Pattern VERSION = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$");
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-fA-F]{64}$");
  public static final int DEFAULT_CONNECT_TIMEOUT = 120;

  private AgentUpdateSpec() {}

  public static void validate(BodyReader s) {
    s.onlyKnown(Set.of("version", "url", "sha256", "size", "signature", "keyId", "connectTimeoutSeconds"));
    String version = s.string("version", true, 64);
    if (version != null && !VERSION.matcher(version).matches()) {
      s.error("version", "must be letters, digits and . _ + - (at most 64)");
    }
    String url = s.string("url", true, 4096);
    if (url != null && !(url.startsWith("https://") || url.startsWith("http://"))) {
      s.error("url", "must be an http(s) URL");
    }
    String sha = s.string("sha256", true, 64);
    if (sha != null && !SHA256.matcher(sha).matches()) {
      s.error("sha256", "must be 64 hex digits");
    }
    s.integer("size", true, 1, Integer.MAX_VALUE);
    s.string("signature", true, 256);
    s.string("keyId", true, 64);
    s.integer("connectTimeoutSeconds", false, 5, 3600);
  }

  /** The step spec for a stored release, downloaded from {@code baseUrl} (this gateway's advertised URL). */
  public static JsonObject of(ReleaseStore.Release r, String baseUrl) {
    return new JsonObject().put("version", r.version())
        .put("url", baseUrl + "/agent/v1/releases/" + r.version() + "/download").put("sha256", r.sha256())
        .put("size", r.size()).put("signature", r.signature()).put("keyId", r.keyId())
        .put("connectTimeoutSeconds", DEFAULT_CONNECT_TIMEOUT);
  }
}
