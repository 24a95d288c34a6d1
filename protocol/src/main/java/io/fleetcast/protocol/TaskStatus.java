package io.fleetcast.protocol;

import java.util.Arrays;
import java.util.Optional;

/** Final outcome of a task on an agent ({@code result.status}). */
public enum TaskStatus {
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  TIMED_OUT("timedOut"),
  DECLINED("declined"),
  CANCELLED("cancelled"),
  REJECTED("rejected");

  private final String wire;

  TaskStatus(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<TaskStatus> fromWire(String s) {
    return Arrays.stream(values()).filter(v -> v.wire.equals(s)).findFirst();
  }

  @Override
  public String toString() {
    return wire;
  }
}
