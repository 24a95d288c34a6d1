package io.fleetcast.load.runner;

/** Sleeping on the coordinator thread (never an event loop) between polls. */
public final class Sleep {
  private Sleep() {}

  public static void millis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
