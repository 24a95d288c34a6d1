package io.fleetcast.gateway.deploy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * What to install where on each host of a job: the target OS, the install directory, the Java
 * to run (null: {@code java} on the PATH; else a bundled runtime's path), how to register the
 * service, the gateway the agent enrolls with, extra agent arguments, and the per-step timeouts.
 *
 * <p>{@code serviceCommand} replaces the service manager with one shell command (placeholders
 * {@code {java}}, {@code {jar}}, {@code {dir}}, {@code {args}}); the environment file with the
 * enrollment token is sourced first. Tests use it to start the agent as a plain background
 * process; production leaves it null (systemd on Linux, a scheduled task on Windows).
 */
public record InstallPlan(TargetOs os, String installDir, String javaPath, String serviceCommand, String gatewayUrl,
    List<String> agentArgs, Timeouts timeouts) {

  public enum TargetOs { LINUX, WINDOWS }

  /** A timeout per install step. */
  public record Timeouts(Duration connect, Duration command, Duration copy, Duration agentConnect) {
    public static Timeouts defaults() {
      return new Timeouts(Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(3));
    }
  }

  public InstallPlan {
    agentArgs = agentArgs == null ? List.of() : List.copyOf(agentArgs);
  }

  public String java() {
    return javaPath == null || javaPath.isBlank() ? (os == TargetOs.WINDOWS ? "java.exe" : "java") : javaPath;
  }

  public JsonObject toJson() {
    return new JsonObject().put("os", os.name().toLowerCase()).put("installDir", installDir).put("javaPath", javaPath)
        .put("serviceCommand", serviceCommand).put("gatewayUrl", gatewayUrl)
        .put("agentArgs", new io.vertx.core.json.JsonArray(agentArgs))
        .put("timeouts", new JsonObject().put("connectSeconds", timeouts.connect().toSeconds())
            .put("commandSeconds", timeouts.command().toSeconds()).put("copySeconds", timeouts.copy().toSeconds())
            .put("agentConnectSeconds", timeouts.agentConnect().toSeconds()));
  }

  public static InstallPlan fromJson(JsonObject j) {
    JsonObject t = j.getJsonObject("timeouts", new JsonObject());
    Timeouts d = Timeouts.defaults();
    return new InstallPlan(TargetOs.valueOf(j.getString("os", "linux").toUpperCase()), j.getString("installDir"),
        j.getString("javaPath"), j.getString("serviceCommand"), j.getString("gatewayUrl"),
        j.getJsonArray("agentArgs", new io.vertx.core.json.JsonArray()).stream().map(String::valueOf).toList(),
        new Timeouts(Duration.ofSeconds(t.getLong("connectSeconds", d.connect().toSeconds())),
            Duration.ofSeconds(t.getLong("commandSeconds", d.command().toSeconds())),
            Duration.ofSeconds(t.getLong("copySeconds", d.copy().toSeconds())),
            Duration.ofSeconds(t.getLong("agentConnectSeconds", d.agentConnect().toSeconds()))));
  }
}
