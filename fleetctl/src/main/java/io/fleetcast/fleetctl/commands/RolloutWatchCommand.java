package io.fleetcast.fleetctl.commands;

import io.fleetcast.fleetctl.Context;
import io.fleetcast.fleetctl.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fleetctl rollout watch ID}: a live progress bar; the exit code tells how the rollout ended. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Follow a rollout live until it completes, halts, is cancelled or expires.",
        "Exit code 0 when it ended with every target succeeded; 5 when any target failed, timed out,",
        "was declined, rejected, skipped or expired, or the rollout halted or was cancelled.",
        "With --json, every event is printed as one JSON line",
        "({\"event\": \"progress\"|\"final\", \"data\": <rollout>}); the last line is always the final one."})
final class RolloutWatchCommand extends ApiCommand {
  @Parameters(paramLabel = "ROLLOUT_ID")
  String id;

  RolloutWatchCommand(Context ctx) {
    super(ctx);
  }

  @Override
  protected int run(ApiClient api) {
    return RolloutCommand.watch(api, id, ctx, json);
  }
}
