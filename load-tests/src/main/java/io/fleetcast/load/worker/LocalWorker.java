package io.fleetcast.load.worker;

import io.vertx.core.json.JsonObject;

/** A generator in this JVM: for the CI smoke, where starting child processes would cost more than the test. */
public final class LocalWorker implements Worker {
  private final Control control = new Control();

  @Override
  public synchronized JsonObject call(String cmd, JsonObject args) {
    return control.handle(cmd, args);
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public void close() {
    control.close();
  }
}
