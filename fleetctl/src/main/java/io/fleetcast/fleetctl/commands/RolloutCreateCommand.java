package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.rollout.TimeArg;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fleetctl rollout create}: from flags, from a YAML/JSON file with the API's rollout body, or both. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Create a rollout. From flags, e.g.",
        "  fleetctl rollout create --name 'patch' --exec 'apply-patch --now' --tag branch-office --waves 1,10,100 "
            + "--max-failure-percent 5 --watch",
        "or from a file holding the body of POST /api/v1/rollouts (YAML or JSON, docs/api.md): fleetctl rollout create -f rollout.yaml",
        "Flags given together with -f replace those parts of the file."})
final class RolloutCreateCommand extends ApiCommand {
  @Option(names = "--name", description = "What operators will read in lists and audit logs")
  String name;

  @Mixin
  RolloutBodyOptions what = new RolloutBodyOptions();

  @Option(names = "--group", paramLabel = "NAME", description = "A saved target group (see 'fleetctl group')")
  String group;

  @Option(names = "--start-after", paramLabel = "TIME", description = "Start time: RFC 3339 or from now (30m, 2h, 1d)")
  String startAfter;

  @Option(names = "--expires-at", paramLabel = "TIME",
      description = "Expiry: RFC 3339 or from now (30m, 2h, 1d); default 24 h after the start")
  String expiresAt;

  @Option(names = "--expires-in", paramLabel = "DURATION", description = "Expiry from now, e.g. 2h (same as --expires-at 2h)")
  String expiresIn;

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
    if (expiresIn != null && expiresAt != null) {
      throw CliException.usage("give --expires-at or --expires-in, not both");
    }
    String expiry = expiresAt;
    if (expiresIn != null) {
      TimeArg.requireDuration("--expires-in", expiresIn);
      expiry = expiresIn;
    }
    return group == null ? what.body(name, startAfter, expiry, Instant.now())
        : what.bodyForGroup(group, name, startAfter, expiry, Instant.now());
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
