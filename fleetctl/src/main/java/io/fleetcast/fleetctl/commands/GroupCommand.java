package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.output.Table;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl group ls|set|rm}: saved target groups ({@code /api/v1/groups}), used as {@code rollout create --group}. */
@Command(name = "group", aliases = "groups", mixinStandardHelpOptions = true,
    description = "Saved target groups: a name for a set of tags, subnets or agents.",
    subcommands = {GroupCommand.Ls.class, GroupCommand.Set.class, GroupCommand.Rm.class})
public final class GroupCommand {

  static String path(String name) {
    return "/api/v1/groups/" + ApiClient.segment(name);
  }

  @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List saved groups.")
  static final class Ls extends ApiCommand {
    Ls(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      JsonNode r = api.get("/api/v1/groups");
      if (json) {
        printJson(r);
        return 0;
      }
      Table t = new Table("NAME", "SELECTOR", "DESCRIPTION");
      r.path("items").forEach(g -> t.row(g.path("name").asText(), Json.compact(g.path("selector")),
          g.path("description").asText()));
      t.print(out());
      return 0;
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true, description = "Create or replace a group (operator).")
  static final class Set extends ApiCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--tag", split = ",", paramLabel = "TAG", description = "Agents with all of these tags")
    List<String> tags;

    @Option(names = "--subnet", split = ",", paramLabel = "CIDR", description = "Agents in any of these subnets")
    List<String> subnets;

    @Option(names = "--agent", split = ",", paramLabel = "AGENT_ID", description = "These agents")
    List<String> agents;

    @Option(names = "--all", description = "Every enrolled agent")
    boolean all;

    @Option(names = "--description", description = "What the group is for")
    String description;

    Set(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      ObjectNode sel = Json.object();
      if (all) {
        sel.put("all", true);
      }
      if (tags != null) {
        tags.forEach(sel.putArray("tags")::add);
      }
      if (subnets != null) {
        subnets.forEach(sel.putArray("subnets")::add);
      }
      if (agents != null) {
        agents.forEach(sel.putArray("agents")::add);
      }
      if (sel.isEmpty()) {
        throw CliException.usage("say which agents: --tag, --subnet, --agent or --all");
      }
      ObjectNode body = Json.object();
      body.set("selector", sel);
      if (description != null) {
        body.put("description", description);
      }
      JsonNode g = api.put(path(name), body);
      if (json) {
        printJson(g);
      } else {
        out().println("group " + g.path("name").asText() + ": " + Json.compact(g.path("selector")));
      }
      return 0;
    }
  }

  @Command(name = "rm", aliases = "delete", mixinStandardHelpOptions = true, description = "Delete a group (operator).")
  static final class Rm extends ApiCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    Rm(Context ctx) {
      super(ctx);
    }

    @Override
    protected int run(ApiClient api) {
      api.delete(path(name));
      out().println("deleted group " + name);
      return 0;
    }
  }
}
