package io.fleetcast.agent.testing;

import io.fleetcast.agent.os.OsActions;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the agent asked of the OS and pretends it worked. Touches nothing real. */
public final class FakeOsActions implements OsActions {
  public final List<String> calls = new CopyOnWriteArrayList<>();

  @Override
  public Future<CommandResult> service(String name, ServiceAction action) {
    calls.add("service " + action + " " + name);
    return Future.succeededFuture(new CommandResult(0, action == ServiceAction.STATUS ? "active" : ""));
  }

  @Override
  public Future<CommandResult> power(PowerAction action, int delaySeconds) {
    calls.add("power " + action + " " + delaySeconds);
    return Future.succeededFuture(new CommandResult(0, ""));
  }

  @Override
  public Future<Void> showMessage(String message) {
    calls.add("message " + message);
    return Future.succeededFuture();
  }
}
