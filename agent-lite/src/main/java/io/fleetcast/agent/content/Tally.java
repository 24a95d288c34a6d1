package io.fleetcast.agent.content;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of one content fetch by where they came from; reported as the last line of the install
 * result ({@code fleetcast-content: ...}), which the gateway sums per rollout.
 */
public final class Tally {
  private final AtomicLong origin = new AtomicLong();
  private final AtomicLong depot = new AtomicLong();
  private final AtomicLong peer = new AtomicLong();
  private final AtomicLong cache = new AtomicLong();
  private volatile String source = "none";

  public void add(Source.Kind kind, long n) {
    switch (kind) {
      case ORIGIN -> origin.addAndGet(n);
      case DEPOT -> depot.addAndGet(n);
      case PEER -> peer.addAndGet(n);
    }
  }

  public void fromCache(long n) {
    cache.addAndGet(n);
    source = "cache";
  }

  public void source(Source s) {
    source = s.kind().tally();
  }

  public long peer() {
    return peer.get();
  }

  public long depot() {
    return depot.get();
  }

  public long origin() {
    return origin.get();
  }

  public String line() {
    return "fleetcast-content: origin=" + origin.get() + " depot=" + depot.get() + " peer=" + peer.get() + " cache="
        + cache.get() + " source=" + source;
  }
}
