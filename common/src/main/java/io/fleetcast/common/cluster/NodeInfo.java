package io.fleetcast.common.cluster;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** What a cluster node advertises about itself in the shared node directory. */
public record NodeInfo(String nodeId, String memberId, String agentUrl, String adminUrl, int connections,
    State state, Instant updatedAt) {

  /** {@code ready}: takes agents and dispatch; {@code draining}: moving agents away; {@code notReady}: lost quorum. */
  public enum State {
    READY("ready"), DRAINING("draining"), NOT_READY("notReady");

    private final String wire;

    State(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static State fromWire(String s) {
      for (State st : values()) {
        if (st.wire.equals(s)) {
          return st;
        }
      }
      return NOT_READY;
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", nodeId).put("memberId", memberId).put("address", agentUrl)
        .put("adminUrl", adminUrl).put("connections", connections).put("state", state.wire())
        .put("updatedAt", updatedAt.toString());
  }

  public static NodeInfo fromJson(JsonObject j) {
    return new NodeInfo(j.getString("id"), j.getString("memberId"), j.getString("address"), j.getString("adminUrl"),
        j.getInteger("connections", 0), State.fromWire(j.getString("state")), Instant.parse(j.getString("updatedAt")));
  }
}
