package io.fleetcast.gateway.deploy;

import io.vertx.core.json.JsonObject;

/**
 * Why one host's install failed: the error type, what happened in this case, and for
 * {@code installation_error} the installer's exit code and output tail.
 */
public record DeployFailure(DeployError type, String detail, Integer exitCode, String outputTail) {
  public static final int MAX_TAIL = 4096;

  public DeployFailure {
    detail = detail == null ? "" : detail;
    if (outputTail != null && outputTail.length() > MAX_TAIL) {
      outputTail = outputTail.substring(outputTail.length() - MAX_TAIL);
    }
  }

  public static DeployFailure of(DeployError type, String detail) {
    return new DeployFailure(type, detail, null, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", type.wire()).put("detail", detail).put("cause", type.cause())
        .put("solution", type.solution()).put("exitCode", exitCode).put("outputTail", outputTail);
  }

  public static DeployFailure fromJson(JsonObject j) {
    return new DeployFailure(DeployError.fromWire(j.getString("type")).orElse(DeployError.UNKNOWN),
        j.getString("detail"), j.getInteger("exitCode"), j.getString("outputTail"));
  }
}
