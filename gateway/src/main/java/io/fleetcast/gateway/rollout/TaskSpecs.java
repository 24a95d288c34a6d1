package io.fleetcast.gateway.rollout;

import io.fleetcast.gateway.error.BodyReader;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates the {@code spec} of each task kind (SPEC section 1, "Task kinds"). */
final class TaskSpecs {
  static final Set<String> KINDS = Set.of("exec", "install", "service", "power", "inventory", "agentUpdate");
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-fA-F]{64}$");

  private TaskSpecs() {}

  static void validate(String kind, JsonObject spec, BodyReader s, BodyReader step) {
    switch (kind) {
      case "exec" -> {
        s.onlyKnown(Set.of("command", "args", "shell", "timeoutSeconds", "env"));
        s.string("command", true, 8192);
        s.strings("args", 256, 8192);
        s.bool("shell");
        s.integer("timeoutSeconds", false, 1, 7 * 24 * 3600);
        JsonObject env = s.object("env", false);
        if (env != null) {
          for (String k : env.fieldNames()) {
            if (!(env.getValue(k) instanceof String)) {
              s.error("env." + k, "must be a string");
            }
          }
        }
      }
      case "install" -> {
        if (spec.containsKey("package")) {
          // a catalog package: resolved to its content hash, sources and program at creation (gateway software)
          s.onlyKnown(Set.of("package", "program", "bandwidthKbps", "runAt"));
          s.string("package", true, 200);
          s.string("program", true, 64);
          s.integer("bandwidthKbps", false, 8, 100_000_000);
          s.instant("runAt", false); // pre-staging: download on delivery, run at this time
          return;
        }
        s.onlyKnown(Set.of("url", "sha256", "size", "command", "args", "timeoutSeconds"));
        String url = s.string("url", true, 4096);
        if (url != null && !(url.startsWith("https://") || url.startsWith("http://"))) {
          s.error("url", "must be an http(s) URL");
        }
        String sha = s.string("sha256", true, 64);
        if (sha != null && !SHA256.matcher(sha).matches()) {
          s.error("sha256", "must be 64 hex digits");
        }
        s.integer("size", false, 0, Integer.MAX_VALUE);
        s.string("command", false, 8192);
        s.strings("args", 256, 8192);
        s.integer("timeoutSeconds", false, 1, 7 * 24 * 3600);
      }
      case "service" -> {
        s.onlyKnown(Set.of("name", "action"));
        s.string("name", true, 256);
        String action = s.string("action", true, 16);
        if (action != null && !Set.of("start", "stop", "restart", "status").contains(action)) {
          s.error("action", "must be one of start, stop, restart, status");
        }
      }
      case "power" -> {
        s.onlyKnown(Set.of("action", "delaySeconds", "onlyIfNoUser", "message"));
        String action = s.string("action", true, 16);
        if (action != null && !Set.of("reboot", "shutdown", "logoff").contains(action)) {
          s.error("action", "must be one of reboot, shutdown, logoff");
        }
        s.integer("delaySeconds", false, 0, 24 * 3600);
        s.bool("onlyIfNoUser");
        s.string("message", false, 1024);
      }
      case "inventory" -> s.onlyKnown(Set.of());
      case "agentUpdate" -> io.fleetcast.gateway.agentupdate.AgentUpdateSpec.validate(s);
      default -> step.error("kind", "must be one of " + String.join(", ", KINDS.stream().sorted().toList()));
    }
  }
}
