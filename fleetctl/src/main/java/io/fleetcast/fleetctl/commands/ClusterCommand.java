package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.output.Table;
import io.fleetcast.fleetctl.output.Times;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl cluster ls|drain|undrain}: nodes, their load, and draining one for maintenance. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Show cluster nodes; drain one for maintenance.",
    subcommands = {ClusterCommand.Ls.class, ClusterCommand.Drain.class, ClusterCommand.Undrain.class})
public final class ClusterCommand {

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List nodes and their agents.")
  static final class Ls extends ApiCommand {
    Ls(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode c = api.get("/api/v1/cluster");
      if (json) {
        printJson(c);
        return 0;
      }
      Table t = new Table("NODE", "ADDRESS", "AGENTS", "STATE", "UPDATED");
      c.path("nodes").forEach(n -> t.row(Json.text(n, "id"), Json.text(n, "address"), Json.text(n, "connections"),
          Json.text(n, "state"), Times.brief(Json.text(n, "updatedAt"))));
      t.print(out());
      out().println(c.path("members").asInt() + " cluster member(s), " + c.path("connections").asInt()
          + " agent(s) connected");
      out().flush();
      return 0;
    }
  }

  /** Drain and undrain differ only in the verb. */
  abstract static class NodeControl extends ApiCommand {
    @Parameters(paramLabel = "NODE_ID")
    String node;

    @Option(names = "--per-second", paramLabel = "N", description = "Agents moved away per second (default: server's, 200)")
    Integer perSecond;

    NodeControl(Context ctx) {
      super(ctx);
    }

    abstract String op();

    @Override
    protected int run(ApiClient api) {
      String path = "/api/v1/cluster/nodes/" + ApiClient.segment(node) + "/" + op()
          + (perSecond == null ? "" : "?" + "perSecond=" + perSecond);
      JsonNode r = api.post(path, null);
      if (json) {
        printJson(r);
      } else {
        out().println("node " + node + ": " + op() + " started " + (r.isObject() && !r.isEmpty()
            ? Json.compact(r) : ""));
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "drain", mixinStandardHelpOptions = true,
      description = "Move a node's agents to other nodes (paced) and take it out of bootstrap answers (admin).")
  static final class Drain extends NodeControl {
    Drain(Context ctx) {
      super(ctx);
    }

    @Override
    String op() {
      return "drain";
    }
  }

  @Command(name = "undrain", mixinStandardHelpOptions = true, description = "Let a drained node take agents again (admin).")
  static final class Undrain extends NodeControl {
    Undrain(Context ctx) {
      super(ctx);
    }

    @Override
    String op() {
      return "undrain";
    }
  }

}
