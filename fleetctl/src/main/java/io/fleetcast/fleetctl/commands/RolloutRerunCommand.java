package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl rollout rerun ID --state failed,timedOut}: {@code POST /api/v1/rollouts/{id}/rerun}. */
@Command(name = "rerun", mixinStandardHelpOptions = true,
    description = "Run a rollout's steps again, as a new rollout, on its targets in the given states "
        + "(failed, timedOut, expired, skipped, offline = never reached, rejected, declined, cancelled).")
final class RolloutRerunCommand extends ApiCommand {
  @Parameters(paramLabel = "ROLLOUT_ID")
  String id;

  @Option(names = "--state", split = ",", paramLabel = "STATE", defaultValue = "failed",
      description = "Target states to run again (repeatable; default: failed)")
  List<String> states;

  @Option(names = "--name", description = "Name of the new rollout (default: 're-run of <name> (<states>)')")
  String name;

  @Option(names = "--watch", description = "Follow the new rollout (exit code as 'rollout watch')")
  boolean watch;

  RolloutRerunCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run(ApiClient api) {
    ObjectNode body = Json.object();
    states.forEach(body.putArray("states")::add);
    if (name != null) {
      body.put("name", name);
    }
    JsonNode created = api.post(RolloutCommand.path(id) + "/rerun", body);
    String newId = created.path("id").asText();
    if (json && !watch) {
      printJson(created);
      return 0;
    }
    if (!json) {
      out().println("created rollout " + newId + " (" + created.path("targets").asInt() + " targets, re-run of " + id + ")");
      out().flush();
    }
    return watch ? RolloutCommand.watch(api, newId, ctx, json) : 0;
  }
}
