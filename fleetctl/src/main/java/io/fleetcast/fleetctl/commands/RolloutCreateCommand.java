package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.rollout.RolloutFlags;
import io.fleetcast.fleetctl.rollout.RolloutRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetctl rollout create}: from flags, from a YAML/JSON file with the SPEC body, or both. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Create a rollout. From flags, e.g.",
        "  fleetctl rollout create --name 'patch' --exec 'apply-patch --now' --tag branch-office --waves 1,10,100 "
            + "--max-failure-percent 5 --watch",
        "or from a file holding the body of POST /api/v1/rollouts (YAML or JSON): fleetctl rollout create -f rollout.yaml",
        "Flags given together with -f replace those parts of the file."})
final class RolloutCreateCommand extends ApiCommand {
  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Rollout body as YAML or JSON (SPEC section 2)")
  Path file;

  @Option(names = "--name", description = "What operators will read in lists and audit logs")
  String name;

  @Option(names = "--exec", paramLabel = "COMMAND", description = "Shell command to run on every target (an exec step)")
  String exec;

  @Option(names = "--timeout-seconds", paramLabel = "N", description = "Time limit of the --exec command on the agent")
  Integer timeoutSeconds;

  @Option(names = "--step", paramLabel = "JSON",
      description = "A step as JSON, repeatable, e.g. '{\"kind\":\"power\",\"spec\":{\"action\":\"reboot\",\"onlyIfNoUser\":true}}'")
  List<String> steps;

  @Option(names = "--target-all", description = "Every enrolled agent")
  boolean targetAll;

  @Option(names = "--tag", split = ",", paramLabel = "TAG", description = "Agents with all of these tags (repeatable)")
  List<String> tags;

  @Option(names = "--subnet", split = ",", paramLabel = "CIDR", description = "Agents in any of these subnets (repeatable)")
  List<String> subnets;

  @Option(names = "--agent", split = ",", paramLabel = "AGENT_ID", description = "These agents (repeatable)")
  List<String> agents;

  @Option(names = "--group", paramLabel = "NAME", description = "A saved target group (see 'fleetctl group')")
  String group;

  @Option(names = "--waves", split = ",", paramLabel = "PCT", description = "Cumulative wave sizes in percent, e.g. 1,10,100")
  List<Integer> waves;

  @Option(names = "--max-in-flight", paramLabel = "N", description = "Most targets running at once")
  Integer maxInFlight;

  @Option(names = "--max-failure-percent", paramLabel = "PCT", description = "Halt before the next wave above this failure rate")
  Double maxFailurePercent;

  @Option(names = "--start-after", paramLabel = "TIME", description = "Start time: RFC 3339 or from now (30m, 2h, 1d)")
  String startAfter;

  @Option(names = "--expires-at", paramLabel = "TIME", description = "Expiry: RFC 3339 or from now (30m, 2h, 1d); default 24 h")
  String expiresAt;

  @Option(names = "--wake-offline", description = "Wake offline targets with Wake-on-LAN when their wave starts")
  boolean wakeOffline;

  @Option(names = "--require-consent", description = "Ask the logged-on user before running")
  boolean requireConsent;

  @Option(names = "--watch", description = "Follow the rollout after creating it (exit code as 'rollout watch')")
  boolean watch;

  @Option(names = "--dry-run", description = "Print the request body and stop; nothing is sent")
  boolean dryRun;

  RolloutCreateCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run(ApiClient api) {
    ObjectNode body = body();
    JsonNode created = api.post("/api/v1/rollouts", body);
    String id = created.path("id").asText();
    if (json && !watch) {
      printJson(created);
      return 0;
    }
    if (!json) {
      out().println("created rollout " + id + " (" + created.path("targets").asInt() + " targets, "
          + created.path("state").asText("scheduled") + ")");
      out().flush();
    }
    if (created.path("targets").asInt() == 0) {
      ctx.err().println("fleetctl: warning: no enrolled agent matches the targets of this rollout");
      ctx.err().flush();
    }
    return watch ? RolloutCommand.watch(api, id, ctx, json) : 0;
  }

  ObjectNode body() {
    RolloutFlags flags = new RolloutFlags(name, exec, timeoutSeconds, steps, targetAll, tags, subnets, agents, waves,
        maxInFlight, maxFailurePercent, startAfter, expiresAt, wakeOffline, requireConsent);
    if (group != null) {
      if (flags.hasTargets()) {
        throw io.fleetcast.fleetctl.CliException.usage("--group stands alone: do not combine it with --tag, --subnet, "
            + "--agent or --target-all");
      }
      // the server resolves the group when it creates the rollout
      ObjectNode withGroup = file == null ? io.fleetcast.fleetctl.output.Json.object() : RolloutRequest.fromFile(file);
      withGroup.putObject("targets").put("group", group);
      return RolloutRequest.build(withGroup, flags, Instant.now());
    }
    return RolloutRequest.build(file == null ? null : RolloutRequest.fromFile(file), flags, Instant.now());
  }

  /** {@code --dry-run} needs no login, so it is answered before the connection is resolved. */
  @Override
  protected boolean handledOffline() {
    if (!dryRun) {
      return false;
    }
    out().println(Json.pretty(body()));
    out().flush();
    return true;
  }
}
