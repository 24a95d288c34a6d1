package io.fleetcast.gateway.agentupdate;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * The spec of a rollout step of kind {@code agentUpdate}: which release ({@code version}), where
 * to download it ({@code url}), its {@code sha256}, {@code size}, Ed25519 {@code signature} and
 * {@code keyId}, and how long the new version has to connect and report itself
 * ({@code connectTimeoutSeconds}) before the agent's launcher rolls it back.
 * {@code GET /api/v1/agent-releases/{version}} answers a ready-made one. Its fields and bounds are the
 * {@code agentUpdate} descriptor's ({@link io.fleetcast.protocol.task.TaskKinds#AGENT_UPDATE}).
 */
public final class AgentUpdateSpec {
  public static final Pattern VERSION = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$");
  public static final int DEFAULT_CONNECT_TIMEOUT = 120;

  private AgentUpdateSpec() {}

  /** The step spec for a stored release, downloaded from {@code baseUrl} (this gateway's advertised URL). */
  public static JsonObject of(ReleaseStore.Release r, String baseUrl) {
    return new JsonObject().put("version", r.version())
        .put("url", baseUrl + "/agent/v1/releases/" + r.version() + "/download").put("sha256", r.sha256())
        .put("size", r.size()).put("signature", r.signature()).put("keyId", r.keyId())
        .put("connectTimeoutSeconds", DEFAULT_CONNECT_TIMEOUT);
  }
}
