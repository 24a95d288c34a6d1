package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.output.Table;
import io.fleetcast.fleetctl.output.Times;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl agents ls|show|rm}. */
@Command(name = "agents", mixinStandardHelpOptions = true, description = "List, inspect and revoke agents.",
    subcommands = {AgentsCommand.Ls.class, AgentsCommand.Show.class, AgentsCommand.Rm.class})
public final class AgentsCommand {

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List enrolled agents.")
  static final class Ls extends ListCommand {
    @Option(names = "--online", arity = "0..1", paramLabel = "true|false",
        description = "Only online (or, with =false, offline) agents")
    Boolean online;

    @Option(names = "--tag", paramLabel = "TAG", description = "Only agents with this tag")
    String tag;

    @Option(names = "--subnet", paramLabel = "CIDR", description = "Only agents with an address in this subnet")
    String subnet;

    @Option(names = "--agent-version", paramLabel = "VERSION", description = "Only agents that reported this agent version")
    String agentVersion;

    @Option(names = "--limit", defaultValue = "100", description = "Agents per page (max 1000; default ${DEFAULT-VALUE})")
    int limit;

    Ls(Context ctx) {
      super(ctx);
    }

    @Override
    protected String path() {
      return "/api/v1/agents";
    }

    @Override
    protected void query(Map<String, Object> q) {
      q.put("online", online);
      q.put("tag", tag);
      q.put("subnet", subnet);
      q.put("version", agentVersion);
      q.put("limit", limit);
    }

    @Override
    protected Table table(JsonNode items) {
      Table t = new Table("ID", "HOSTNAME", "ONLINE", "NODE", "LAST SEEN", "VERSION", "TAGS");
      for (JsonNode a : items) {
        t.row(Json.text(a, "id"), Json.text(a, "hostname"), a.path("online").asBoolean() ? "yes" : "no",
            Json.text(a, "nodeId"), Times.brief(Json.text(a, "lastSeen")), Json.text(a, "version"), Json.text(a, "tags"));
      }
      return t;
    }

    @Override
    protected String commandLine() {
      return "agents ls";
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one agent with its recent tasks.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "AGENT_ID")
    String id;

    Show(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode a = api.get("/api/v1/agents/" + ApiClient.segment(id));
      if (json) {
        printJson(a);
        return 0;
      }
      JsonNode facts = a.path("facts");
      Fields f = new Fields(out());
      f.line("id", Json.text(a, "id"));
      f.line("hostname", Json.text(a, "hostname"));
      f.line("online", a.path("online").asBoolean() ? "yes, on node " + Json.text(a, "nodeId") : "no");
      f.line("connected since", Times.brief(Json.text(a, "connectedSince")));
      f.line("last seen", Times.brief(Json.text(a, "lastSeen")));
      f.line("version", Json.text(a, "version"));
      f.line("tags", Json.text(a, "tags"));
      // self-reported: only rollouts with targets.reportedTags match them
      f.line("reported tags", Json.text(a, "reportedTags"));
      f.line("os / arch", Json.text(facts, "os") + " / " + Json.text(facts, "arch"));
      f.line("addresses", Json.text(facts, "ips"));
      f.line("macs", Json.text(facts, "macs"));
      f.line("users", Json.text(facts, "users"));
      f.line("enrolled", Times.brief(Json.text(a, "enrolledAt")));
      ArrayNode tasks = (ArrayNode) a.path("recentTasks").require();
      if (!tasks.isEmpty()) {
        out().println();
        Table t = new Table("ROLLOUT", "NAME", "STEP", "STATE", "REASON", "FINISHED");
        tasks.forEach(x -> t.row(Json.text(x, "rolloutId"), Json.text(x, "rollout"), Json.text(x, "step"),
            Json.text(x, "state"), Json.text(x, "reason"), Times.brief(Json.text(x, "finishedAt"))));
        t.print(out());
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "rm", aliases = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke an agent's credential and close its connection (admin).")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "AGENT_ID")
    String id;

    Rm(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      api.delete("/api/v1/agents/" + ApiClient.segment(id));
      if (json) {
        printJson(Json.object().put("id", id).put("revoked", true));
      } else {
        out().println("agent " + id + " revoked");
      }
      return 0;
    }
  }
}
