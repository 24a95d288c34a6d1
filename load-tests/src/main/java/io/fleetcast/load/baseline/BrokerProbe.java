package io.fleetcast.load.baseline;

/** The publishing and ack-counting side of a broker baseline. */
public interface BrokerProbe extends AutoCloseable {
  /** Publishes {@code payload} once to every subscriber; yields the nanoTime just before the write. */
  long publish(String payload, int sequence);

  long replies();

  long lastReplyNanos();

  @Override
  void close();
}
