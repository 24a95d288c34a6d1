package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetctl wake --agent ID... | --mac MAC...}: {@code POST /api/v1/wake}, answer shown as is. */
@Command(name = "wake", mixinStandardHelpOptions = true,
    description = "Wake powered-down machines with Wake-on-LAN: relayed by an awake agent in the same subnet, "
        + "or sent directly where a route is configured.")
public final class WakeCommand extends ApiCommand {
  @Option(names = "--agent", split = ",", paramLabel = "AGENT_ID", description = "Agents to wake (repeatable)")
  List<String> agents;

  @Option(names = "--mac", split = ",", paramLabel = "MAC", description = "MAC addresses to wake (repeatable)")
  List<String> macs;

  @Option(names = "--subnet", paramLabel = "CIDR",
      description = "Subnet of the --mac targets (where to find a relay or a direct route)")
  String subnet;

  @Option(names = "--secure-on", paramLabel = "PASSWORD",
      description = "SecureOn password (4 or 6 bytes, hex) appended to directly sent packets")
  String secureOn;

  WakeCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run(ApiClient api) {
    boolean byAgent = agents != null && !agents.isEmpty();
    boolean byMac = macs != null && !macs.isEmpty();
    if (!byAgent && !byMac) {
      throw CliException.usage("say what to wake: --agent ID or --mac MAC (each repeatable)");
    }
    ObjectNode body = Json.object();
    if (byAgent) {
      agents.forEach(body.putArray("agents")::add);
    }
    if (byMac) {
      macs.forEach(body.putArray("macs")::add);
    }
    if (subnet != null) {
      body.put("subnet", subnet);
    }
    if (secureOn != null) {
      body.put("secureOn", secureOn);
    }
    JsonNode answer = api.post("/api/v1/wake", body);
    if (json) {
      printJson(answer);
      return 0;
    }
    Fields f = new Fields(out());
    f.line("request", Json.text(answer, "requestId"));
    f.line("relayed", count(answer.path("relayed")));
    f.line("direct", count(answer.path("direct")));
    JsonNode unreachable = answer.path("unreachable");
    f.line("unreachable", String.valueOf(unreachable.size()));
    // the server says why each one could not be reached; show it verbatim
    unreachable.forEach(u -> out().println("  - " + describe(u)));
    out().flush();
    return 0;
  }

  /** "mac or agent: reason (detail)" when the server says so, else the item as it came. */
  private static String describe(JsonNode u) {
    if (u.isValueNode()) {
      return u.asText();
    }
    String who = u.hasNonNull("agentId") ? u.get("agentId").asText() : u.path("mac").asText("?");
    if (!u.hasNonNull("reason")) {
      return who + ": " + Json.compact(u);
    }
    return who + ": " + u.get("reason").asText() + (u.hasNonNull("detail") ? " (" + u.get("detail").asText() + ")" : "");
  }

  /** {@code relayed}/{@code direct} may be a number or a list; either way an operator wants the count. */
  private static String count(JsonNode n) {
    if (n.isArray()) {
      return n.size() + (n.isEmpty() ? "" : " (" + Json.compact(n) + ")");
    }
    return n.isMissingNode() || n.isNull() ? "-" : n.asText();
  }
}
