package io.fleetcast.protocol.task;

/** One problem of a spec: {@code path} relative to the spec ({@code command}, {@code args[0]}, {@code env.PATH}). */
public record SpecError(String path, String message) {

  /** As the agent states it in a {@code rejected} result: {@code spec.args[0] must be ...}. */
  public String reason() {
    return "spec." + path + " " + message;
  }
}
