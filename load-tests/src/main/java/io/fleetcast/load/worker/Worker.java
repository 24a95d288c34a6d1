package io.fleetcast.load.worker;

import io.vertx.core.json.JsonObject;

/** A generator the coordinator drives: a child process or, for tests, this JVM. Blocking calls, coordinator thread only. */
public interface Worker extends AutoCloseable {

  /** Runs one {@link Control} command; throws if it failed or did not answer in time. */
  JsonObject call(String cmd, JsonObject args);

  default JsonObject call(String cmd) {
    return call(cmd, new JsonObject());
  }

  /** The process id of the generator (for CPU and memory readings). */
  long pid();

  @Override
  void close();
}
