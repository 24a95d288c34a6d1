package io.fleetcast.fleetctl.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.rollout.RolloutFlags;
import io.fleetcast.fleetctl.rollout.RolloutRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What to run, where and how (a picocli mixin): the rollout body options shared by
 * {@code rollout create} and {@code schedule create}. Times are not here: a rollout takes
 * absolute or relative times, a schedule sets them per firing.
 */
final class RolloutBodyOptions {
  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "Rollout body as YAML or JSON (POST /api/v1/rollouts, docs/api.md)")
  Path file;

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

  @Option(names = "--waves", split = ",", paramLabel = "PCT", description = "Cumulative wave sizes in percent, e.g. 1,10,100")
  List<Integer> waves;

  @Option(names = "--max-in-flight", paramLabel = "N", description = "Most targets running at once")
  Integer maxInFlight;

  @Option(names = "--max-failure-percent", paramLabel = "PCT", description = "Halt before the next wave above this failure rate")
  Double maxFailurePercent;

  @Option(names = "--wake-offline", description = "Wake offline targets with Wake-on-LAN when their wave starts")
  boolean wakeOffline;

  @Option(names = "--require-consent", description = "Ask the logged-on user before running")
  boolean requireConsent;

  /** The rollout body: the file (if any) with every given flag applied over it. */
  ObjectNode body(String name, String startAfter, String expiresAt, Instant now) {
    return RolloutRequest.build(file == null ? null : RolloutRequest.fromFile(file), flags(name, startAfter, expiresAt),
        now);
  }

  /** As {@link #body}, but targeting a saved group, which the server resolves when it creates the rollout. */
  ObjectNode bodyForGroup(String group, String name, String startAfter, String expiresAt, Instant now) {
    RolloutFlags flags = flags(name, startAfter, expiresAt);
    if (flags.hasTargets()) {
      throw io.fleetcast.fleetctl.CliException.usage("--group stands alone: do not combine it with --tag, --subnet, "
          + "--agent or --target-all");
    }
    ObjectNode withGroup = file == null ? io.fleetcast.fleetctl.output.Json.object() : RolloutRequest.fromFile(file);
    withGroup.putObject("targets").put("group", group);
    return RolloutRequest.build(withGroup, flags, now);
  }

  private RolloutFlags flags(String name, String startAfter, String expiresAt) {
    return new RolloutFlags(name, exec, timeoutSeconds, steps, targetAll, tags, subnets, agents, waves,
        maxInFlight, maxFailurePercent, startAfter, expiresAt, wakeOffline, requireConsent);
  }
}
