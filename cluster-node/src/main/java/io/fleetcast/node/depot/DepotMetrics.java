package io.fleetcast.node.depot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of one depot. Each depot process is its own scrape target; the tag {@code kind}
 * ({@code origin}: the gateway's package store, {@code depot}: a node's or depot role's store)
 * tells the two apart where one process holds both (standalone). Depot names are not tags.
 */
public final class DepotMetrics {
  public static final String BYTES = "fleetcast.depot.bytes.served";
  public static final String REQUESTS = "fleetcast.depot.requests";
  public static final String ACTIVE = "fleetcast.depot.downloads.active";
  public static final String CACHE = "fleetcast.depot.cache.requests";
  public static final String FETCHED = "fleetcast.depot.bytes.fetched";

  private final MeterRegistry registry;
  private final String kind;
  private final Counter bytes;
  private final Counter fetched;
  private final Counter hits;
  private final Counter misses;
  private final AtomicInteger active = new AtomicInteger();

  public DepotMetrics(MeterRegistry registry, String kind) {
    this.registry = registry;
    this.kind = kind;
    this.bytes = Counter.builder(BYTES).tag("kind", kind).description("Content bytes sent by this depot").register(registry);
    this.fetched = Counter.builder(FETCHED).tag("kind", kind)
        .description("Content bytes this depot fetched from other depots (distribution)").register(registry);
    this.hits = Counter.builder(CACHE).tag("kind", kind).tag("result", "hit")
        .description("Content requests by whether the depot held the content").register(registry);
    this.misses = Counter.builder(CACHE).tag("kind", kind).tag("result", "miss")
        .description("Content requests by whether the depot held the content").register(registry);
    Gauge.builder(ACTIVE, active, AtomicInteger::get).tag("kind", kind)
        .description("Content downloads being served now").register(registry);
    for (String outcome : new String[] {"ok", "unauthorized", "notFound", "busy", "badRange"}) {
      request(outcome, 0);
    }
  }

  public void request(String outcome, int n) {
    Counter.builder(REQUESTS).tag("kind", kind).tag("outcome", outcome)
        .description("Content requests by outcome").register(registry).increment(n);
  }

  public void served(long n) {
    bytes.increment(n);
  }

  public void fetched(long n) {
    fetched.increment(n);
  }

  public void hit() {
    hits.increment();
  }

  public void miss() {
    misses.increment();
  }

  public int begin() {
    return active.incrementAndGet();
  }

  public void end() {
    active.decrementAndGet();
  }

  public int active() {
    return active.get();
  }

  public double bytesServed() {
    return bytes.count();
  }
}
