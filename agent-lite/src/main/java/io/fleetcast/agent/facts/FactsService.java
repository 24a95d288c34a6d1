package io.fleetcast.agent.facts;

import io.fleetcast.protocol.Facts;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Collects facts off the event loop and adds the agent's tags (configured plus enrollment
 * tags). Remembers the last collection for quick, non-blocking reads (scope checks).
 */
public final class FactsService {
  private final FactsProvider provider;
  private final WorkerExecutor worker;
  private final Supplier<List<String>> tags;
  private volatile Facts last = Facts.EMPTY;

  public FactsService(FactsProvider provider, WorkerExecutor worker, Supplier<List<String>> tags) {
    this.provider = provider;
    this.worker = worker;
    this.tags = tags;
  }

  public Future<Facts> collect() {
    return worker.executeBlocking(() -> {
      Facts f = withTags(provider.collect());
      last = f;
      return f;
    }, false);
  }

  public Future<List<String>> loggedOnUsers() {
    return worker.executeBlocking(provider::loggedOnUsers, false);
  }

  /** The last collected facts ({@link Facts#EMPTY} before the first collection). */
  public Facts last() {
    return last;
  }

  public List<String> tags() {
    return List.copyOf(new TreeSet<>(tags.get()));
  }

  private Facts withTags(Facts f) {
    TreeSet<String> all = new TreeSet<>(f.tags());
    all.addAll(tags.get());
    return new Facts(f.hostname(), f.os(), f.arch(), f.ips(), f.macs(), f.subnets(), List.copyOf(all), f.users());
  }
}
