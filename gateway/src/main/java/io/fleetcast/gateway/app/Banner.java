package io.fleetcast.gateway.app;

import io.fleetcast.common.config.FleetcastConfig;

/** What a newcomer needs on start: where the API is, where agents connect, the admin token, how to enroll. */
final class Banner {
  /** The tag of the README's quick-start agents and rollout. */
  static final String DEMO_TAG = "lab";

  private Banner() {}

  static void print(FleetcastConfig cfg, ServerRuntime rt) {
    StringBuilder sb = new StringBuilder("\n");
    if (rt.gateway() != null) {
      String api = rt.gateway().apiUrl();
      sb.append("  Fleetcast is up.\n\n");
      sb.append("  API URL:    ").append(api).append("/api/v1\n");
      if (rt.node() != null) {
        sb.append("  Agent URL:  ").append(rt.node().agentUrl()).append("\n");
      }
      sb.append("  Metrics:    ").append(api).append("/metrics\n");
      var admin = rt.gateway().adminToken();
      if (admin != null && admin.generatedToken() != null) {
        sb.append("\n  Admin token (shown once, also saved to ").append(admin.file()).append("):\n    ")
            .append(admin.generatedToken()).append("\n");
      } else if (admin != null && admin.file() != null) {
        sb.append("\n  Admin token: in ").append(admin.file()).append(" (or FLEETCAST_ADMIN_TOKEN)\n");
      }
      sb.append(connectAgentHint(api, admin != null && admin.file() != null ? admin.file().toString() : null,
          cfg.bool("dev")));
    } else if (rt.node() != null) {
      sb.append("  Fleetcast node ").append(rt.node().nodeId()).append(" is up; agents connect to ")
          .append(rt.node().agentUrl()).append("\n");
    } else if (rt.depot() != null) {
      sb.append("  Fleetcast depot ").append(rt.depot().name()).append(" is up; content at ")
          .append(rt.depot().url()).append("\n");
    }
    System.out.println(sb);
    System.out.flush();
  }

  /**
   * The commands that enroll a first agent, ready to paste: the enrollment token carries the
   * tag {@value #DEMO_TAG} that the README's first rollout targets.
   */
  static String connectAgentHint(String api, String adminTokenFile, boolean dev) {
    return "\n  Connect an agent:\n"
        + "    TOKEN=$(cat " + (adminTokenFile != null ? adminTokenFile : "<data dir>/admin-token") + ")\n"
        + "    ENROLL=$(curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n"
        + "      -d '{\"maxUses\": 10, \"tags\": [\"" + DEMO_TAG + "\"]}' " + api
        + "/api/v1/enrollment-tokens | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')\n"
        + "    java -jar agent-lite/target/fleetcast-agent-lite.jar --gateway " + api
        + " --enroll-token \"$ENROLL\" --state-dir ./agent-state"
        // a demo agent relays Wake-on-LAN to loopback, never to a real broadcast address
        + (dev ? " --dev --wake-force-address 127.0.0.1" : "") + "\n";
  }
}
