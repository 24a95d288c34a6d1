package io.fleetcast.agent.task.kinds;

import io.fleetcast.agent.os.OsActions;
import io.fleetcast.agent.os.OsActions.ServiceAction;
import io.fleetcast.agent.task.TaskContext;
import io.fleetcast.agent.task.TaskKind;
import io.fleetcast.agent.task.TaskOutcome;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** {@code service}: start, stop, restart or query a service through {@link OsActions}. */
public final class ServiceKind implements TaskKind {
  private final OsActions os;

  public ServiceKind(OsActions os) {
    this.os = os;
  }

  @Override
  public String name() {
    return "service";
  }

  @Override
  public Future<TaskOutcome> run(TaskContext ctx) {
    String invalid = validate(ctx.task().spec());
    if (invalid != null) {
      // checked again here: the name reaches the OS service manager's command line
      return Future.succeededFuture(TaskOutcome.rejected(invalid));
    }
    String name = parseName(ctx.task().spec());
    ServiceAction action = parseAction(ctx.task().spec());
    return os.service(name, action)
        .map(r -> new TaskOutcome(r.ok() ? TaskStatus.SUCCEEDED : TaskStatus.FAILED, r.exitCode(), r.output()))
        .recover(e -> Future.succeededFuture(TaskOutcome.failed("service " + action.name().toLowerCase(Locale.ROOT)
            + " " + name + " failed: " + e.getMessage())));
  }

  /** The name was checked against the descriptor's pattern: never starting with '-', it cannot pass as an option. */
  private static String parseName(JsonObject spec) {
    return new SpecReader(spec).string("name");
  }

  private static ServiceAction parseAction(JsonObject spec) {
    return ServiceAction.valueOf(new SpecReader(spec).string("action").toUpperCase(Locale.ROOT));
  }
}
