package io.fleetcast.agent.tags;

import io.fleetcast.protocol.log.Kv;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The tags the server assigned to this agent after its enrollment (an admin's {@code PATCH
 * /api/v1/agents/{id}}), learned lazily from the gateway: only when a genuine task is out of
 * scope solely for lack of tags. Lookups are coalesced (callers during one share it) and bounded
 * (at most one per {@code minInterval}; within it the known set answers), so neither a burst of
 * tasks nor a node replaying tasks for other tags can make the agent hammer the gateway. The set
 * is saved in the state dir so a restart keeps it. Reading it ({@link #current()}) is a volatile
 * read: the scope check of a task whose tags match does no I/O. Lives on the agent's context.
 */
public final class AssignedTags {
  /** The default bound between two lookups. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(10);
  private static final Logger LOG = Logger.getLogger(AssignedTags.class.getName());

  private final TrustedTagSource source;
  private final AssignedTagStore store;
  private final WorkerExecutor io;
  private final Clock clock;
  private final Duration minInterval;
  private volatile Set<String> current = Set.of();
  private Future<Set<String>> inFlight;
  private Instant lastLookup;

  public AssignedTags(TrustedTagSource source, AssignedTagStore store, WorkerExecutor io, Clock clock,
      Duration minInterval) {
    this.source = source;
    this.store = store;
    this.io = io;
    this.clock = clock;
    this.minInterval = minInterval;
  }

  /** The assigned tags known now (empty until learned or loaded). */
  public Set<String> current() {
    return current;
  }

  /** Loads the set saved by an earlier process; a missing or unreadable file leaves it empty. */
  public Future<Void> load() {
    return io.executeBlocking(store::load).map(saved -> {
      saved.ifPresent(tags -> current = Set.copyOf(new TreeSet<>(tags)));
      return (Void) null;
    }).recover(e -> {
      LOG.warning(Kv.event("assigned.tags.load.failed").kv("error", e.getMessage()).toString());
      return Future.succeededFuture();
    });
  }

  /**
   * Asks the gateway once (joining a lookup already under way; none within {@code minInterval}
   * of the last one) and yields the known set afterwards. Never fails: when the gateway cannot be
   * asked, the known set stands.
   */
  public Future<Set<String>> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    Instant now = clock.instant();
    if (lastLookup != null && now.isBefore(lastLookup.plus(minInterval))) {
      return Future.succeededFuture(current);
    }
    lastLookup = now;
    Future<Set<String>> lookup = Future.<Void>succeededFuture()
        .compose(v -> source.fetch())
        .compose(this::adopt)
        .recover(e -> {
          LOG.warning(Kv.event("assigned.tags.lookup.failed").kv("error", e.getMessage()).toString());
          return Future.succeededFuture(current);
        })
        .andThen(ar -> inFlight = null);
    // a source answering at once has already cleared inFlight: do not keep a finished lookup
    inFlight = lookup.isComplete() ? null : lookup;
    return lookup;
  }

  private Future<Set<String>> adopt(List<String> fetched) {
    Set<String> next = Set.copyOf(new TreeSet<>(fetched));
    if (next.equals(current)) {
      return Future.succeededFuture(current);
    }
    // the gateway's answer replaces the set: a tag the admin removed is dropped here too
    current = next;
    LOG.info(Kv.event("assigned.tags.updated").kv("tags", new TreeSet<>(next)).toString());
    return io.executeBlocking(() -> {
      store.save(List.copyOf(new TreeSet<>(next)));
      return next;
    }).recover(e -> {
      LOG.warning(Kv.event("assigned.tags.save.failed").kv("error", e.getMessage()).toString());
      return Future.succeededFuture(next);
    });
  }
}
