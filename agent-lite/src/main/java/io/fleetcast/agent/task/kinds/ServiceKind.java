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
import java.util.regex.Pattern;

/** {@code service}: start, stop, restart or query a service through {@link OsActions}. */
public final class ServiceKind implements TaskKind {
  /** systemd unit and Windows service names; never starting with '-' so a name cannot pass as an option. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_@.:\\\\][A-Za-z0-9_@.:\\\\\\-]{0,254}");

  private final OsActions os;

  public ServiceKind(OsActions os) {
    this.os = os;
  }

  @Override
  public String name() {
    return "service";
  }

  @Override
  public String validate(JsonObject spec) {
    try {
      parseName(spec);
      parseAction(spec);
      return null;
    } catch (SpecReader.BadSpec e) {
      return e.getMessage();
    }
  }

  @Override
  public Future<TaskOutcome> run(TaskContext ctx) {
    String name = parseName(ctx.task().spec());
    ServiceAction action = parseAction(ctx.task().spec());
    return os.service(name, action)
        .map(r -> new TaskOutcome(r.ok() ? TaskStatus.SUCCEEDED : TaskStatus.FAILED, r.exitCode(), r.output()))
        .recover(e -> Future.succeededFuture(TaskOutcome.failed("service " + action.name().toLowerCase(Locale.ROOT)
            + " " + name + " failed: " + e.getMessage())));
  }

  private static String parseName(JsonObject spec) {
    String name = new SpecReader(spec).string("name");
    if (!NAME.matcher(name).matches()) {
      throw new SpecReader.BadSpec("spec.name is not a valid service name");
    }
    return name;
  }

  private static ServiceAction parseAction(JsonObject spec) {
    return ServiceAction.valueOf(new SpecReader(spec).oneOf("action", "start", "stop", "restart", "status")
        .toUpperCase(Locale.ROOT));
  }
}
