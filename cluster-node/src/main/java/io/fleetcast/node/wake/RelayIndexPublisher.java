package io.fleetcast.node.wake;

import io.fleetcast.common.log.Kv;
import io.fleetcast.common.wake.RelayIndex;
import io.fleetcast.common.wake.RelayIndex.Entry;
import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.wake.MacAddress;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Publishes this node's connected agents into the cluster's {@link RelayIndex} as relay
 * candidates: one entry per (agent, subnet from its facts), carrying this node's id and the
 * session id, for at most {@code perSubnet} agents of each subnet. A relay wakes every target
 * of its subnet with one frame, so a few candidates per node and subnet are all the planner
 * needs; the other agents stand by and fill a place when a candidate leaves. Publishing every
 * agent made each idle connection cost every member holding a copy ~0.35 KiB of heap (entry,
 * record, two index entries) and put a Hazelcast write on every connect. Each pass diffs
 * the local session table against what was published before, so connects, disconnects,
 * reconnects and facts changes all reach the index within one pass, without hooks in the
 * session code and without ordering races: the index converges to what this node really holds.
 * Removals are conditional on the exact value, so a late removal here cannot erase the entry a
 * newer connection (on any node) wrote. A periodic {@link #reconcile} compares the index's
 * entries of this node with that state and repairs either side (lost partitions, stray entries).
 *
 * <p>All state is confined to one Vert.x context; passes never overlap.
 */
public final class RelayIndexPublisher {
  private static final Logger LOG = Logger.getLogger(RelayIndexPublisher.class.getName());
  /** Facts are agent input: bound what one agent can add to the index. */
  static final int MAX_SUBNETS = 16;
  static final int MAX_MACS = 16;
  /** Relay candidates published per subnet by one node unless configured ({@code wake.indexRelaysPerSubnet}). */
  public static final int DEFAULT_PER_SUBNET = 8;

  /** Visits the sessions this node holds (active ones only). */
  public interface Sessions {
    void forEach(SessionVisitor visitor);

    /**
     * A number that changes whenever a session comes, goes or changes its facts; a pass finds
     * nothing to do while it has not changed since the last successful one. -1: unknown (always visit).
     */
    default long version() {
      return -1;
    }
  }

  /** Receives one held session. */
  @FunctionalInterface
  public interface SessionVisitor {
    void visit(String agentId, String sessionId, Facts facts);
  }

  /**
   * What was published for one agent. A list, not a map by key: an agent has one entry per
   * subnet (nearly always one), and a map per agent cost ~250 bytes of every idle connection.
   */
  private record Published(String sessionId, Facts facts, List<Entry> entries) {}

  private final Vertx vertx;
  private final Context context;
  private final RelayIndex index;
  private final String nodeId;
  private final Sessions sessions;
  private final int perSubnet;
  /** The candidates published, by agent id. */
  private final Map<String, Published> published = new HashMap<>();
  /** How many candidates are published per canonical subnet. */
  private final Map<String, Integer> candidates = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private boolean busy;
  /** {@link Sessions#version} as of the last pass that published everything; -2: none yet. */
  private long syncedVersion = -2;

  public RelayIndexPublisher(Vertx vertx, RelayIndex index, String nodeId, Sessions sessions) {
    this(vertx, index, nodeId, sessions, DEFAULT_PER_SUBNET);
  }

  public RelayIndexPublisher(Vertx vertx, RelayIndex index, String nodeId, Sessions sessions, int perSubnet) {
    this.perSubnet = Math.max(1, perSubnet);
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.index = index;
    this.nodeId = nodeId;
    this.sessions = sessions;
  }

  /** Runs {@link #sync} every {@code syncMillis} and {@link #reconcile} every {@code reconcileMillis}. */
  public void start(long syncMillis, long reconcileMillis) {
    context.runOnContext(v -> {
      timers.add(vertx.setPeriodic(Math.max(50, syncMillis), id -> sync()));
      timers.add(vertx.setPeriodic(Math.max(1000, reconcileMillis), id -> reconcile()));
    });
  }

  /** Stops the passes and withdraws this node's entries (conditionally: newer ones stay). */
  public Future<Integer> stop() {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(v -> {
      timers.forEach(vertx::cancelTimer);
      timers.clear();
      List<Entry> mine = new ArrayList<>();
      published.values().forEach(pub -> mine.addAll(pub.entries()));
      published.clear();
      candidates.clear();
      index.removeIfMatches(mine).onComplete(p);
    });
    return p.future();
  }

  /** One pass: publishes what changed since the last one. Yields the number of entries written or removed. */
  public Future<Integer> sync() {
    return exclusive(this::diffAndPublish);
  }

  /** Runs one pass on the context unless another is under way (then yields 0): passes never interleave. */
  private Future<Integer> exclusive(java.util.function.Supplier<Future<Integer>> pass) {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(v -> {
      if (busy) {
        p.complete(0);
        return;
      }
      busy = true;
      pass.get().onComplete(ar -> {
        busy = false;
        p.handle(ar);
      });
    });
    return p.future();
  }

  private Future<Integer> diffAndPublish() {
    long version = sessions.version();
    if (version >= 0 && version == syncedVersion) {
      // nothing connected, left or changed facts: a pass would visit every session to find no change
      return Future.succeededFuture(0);
    }
    return publishChanges().onSuccess(n -> syncedVersion = version);
  }

  private Future<Integer> publishChanges() {
    List<Entry> puts = new ArrayList<>();
    List<Entry> removes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Held> standby = new ArrayList<>();
    Map<String, Published> retired = new HashMap<>();
    sessions.forEach((agentId, sessionId, facts) -> {
      seen.add(agentId);
      Published old = published.get(agentId);
      if (old != null && old.sessionId().equals(sessionId) && old.facts() == facts) {
        return; // a candidate unchanged since the last pass (facts objects are replaced, never mutated)
      }
      if (old != null) {
        retired.put(agentId, old); // reconnected or new facts: a candidate again below, maybe elsewhere
      }
      standby.add(new Held(agentId, sessionId, facts));
    });
    published.forEach((agentId, pub) -> {
      if (!seen.contains(agentId)) {
        retired.put(agentId, pub);
      }
    });
    retired.forEach((agentId, pub) -> {
      published.remove(agentId);
      pub.entries().forEach(e -> candidates.merge(e.subnet(), -1, (a, b) -> a + b > 0 ? a + b : null));
    });
    Map<String, String> canonical = new HashMap<>();
    Map<String, Published> changed = new HashMap<>();
    for (Held h : standby) {
      List<String> free = freeSubnets(h.facts(), canonical);
      if (free.isEmpty()) {
        continue;
      }
      List<Entry> now = entries(h.agentId(), h.sessionId(), free, h.facts());
      now.forEach(e -> candidates.merge(e.subnet(), 1, Integer::sum));
      Published pub = new Published(h.sessionId(), h.facts(), now);
      published.put(h.agentId(), pub);
      changed.put(h.agentId(), pub);
    }
    retired.forEach((agentId, old) -> {
      Published now = changed.get(agentId);
      List<Entry> after = now == null ? List.of() : now.entries();
      old.entries().stream().filter(e -> !sameKey(after, e)).forEach(removes::add);
      after.stream().filter(e -> !old.entries().contains(e)).forEach(puts::add);
    });
    changed.forEach((agentId, pub) -> {
      if (!retired.containsKey(agentId)) {
        puts.addAll(pub.entries());
      }
    });
    if (puts.isEmpty() && removes.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return index.removeIfMatches(removes)
        .compose(n -> index.putAll(puts).map(x -> n + puts.size()))
        .onFailure(e -> {
          // forget what this pass published: the next pass writes it again
          changed.forEach((agentId, pub) -> {
            published.remove(agentId);
            pub.entries().forEach(x -> candidates.merge(x.subnet(), -1, (a, b) -> a + b > 0 ? a + b : null));
          });
          LOG.warning(Kv.event("wake.index_sync_failed", "node", nodeId, "error", String.valueOf(e.getMessage())));
        });
  }

  /** A held session considered for a candidate's place. */
  private record Held(String agentId, String sessionId, Facts facts) {}

  /** The agent's valid subnets (canonical, at most {@link #MAX_SUBNETS}) that have room for a candidate. */
  private List<String> freeSubnets(Facts facts, Map<String, String> canonical) {
    List<String> free = new ArrayList<>(1);
    int valid = 0;
    for (String s : facts.subnets()) {
      // the same few subnets recur across thousands of agents: canonicalized once per pass
      String c = canonical.computeIfAbsent(s, x -> {
        String v = Subnet.canonicalOrNull(x);
        return v == null ? "" : v.equals(x) ? x : v;
      });
      if (c.isEmpty() || valid >= MAX_SUBNETS) {
        continue;
      }
      valid++;
      if (candidates.getOrDefault(c, 0) < perSubnet && !free.contains(c)) {
        free.add(c);
      }
    }
    return free;
  }

  /**
   * Compares the index's entries of this node with what this node published: writes what is
   * missing or different, removes (conditionally) what this node does not hold.
   */
  public Future<Integer> reconcile() {
    return exclusive(() -> {
      Map<String, Entry> want = new HashMap<>();
      published.values().forEach(pub -> pub.entries().forEach(e -> want.put(e.key(), e)));
      return index.ofNode(nodeId).compose(actual -> {
        List<Entry> stray = new ArrayList<>();
        Map<String, Entry> have = new HashMap<>();
        for (Entry e : actual) {
          if (e.equals(want.get(e.key()))) {
            have.put(e.key(), e);
          } else {
            stray.add(e);
          }
        }
        List<Entry> missing = want.values().stream().filter(e -> !have.containsKey(e.key())).toList();
        return index.removeIfMatches(stray).compose(n -> index.putAll(missing).map(x -> {
          int fixed = n + missing.size();
          if (fixed > 0) {
            LOG.info(Kv.event("wake.index_reasserted", "node", nodeId, "written", missing.size(), "removed", n));
          }
          return fixed;
        }));
      }).onFailure(e -> LOG.warning(Kv.event("wake.index_reconcile_failed", "node", nodeId, "error",
          String.valueOf(e))));
    });
  }

  /** The entries of one session in the given canonical subnets, each with the session's valid MACs. */
  private List<Entry> entries(String agentId, String sessionId, List<String> subnets, Facts facts) {
    Set<String> macs = new LinkedHashSet<>();
    boolean asReported = true; // every reported MAC valid, canonical and distinct: share the agent's list
    for (String m : facts.macs()) {
      try {
        String c = MacAddress.parse(m).toString();
        asReported &= c.equals(m) && macs.size() < MAX_MACS && !macs.contains(m);
        if (macs.size() < MAX_MACS) {
          macs.add(c.equals(m) ? m : c);
        }
      } catch (IllegalArgumentException e) {
        asReported = false; // not a MAC: ignored
      }
    }
    List<String> macList = asReported ? facts.macs() : List.copyOf(macs);
    List<Entry> out = new ArrayList<>(subnets.size());
    for (String s : subnets) {
      out.add(new Entry(agentId, s, nodeId, sessionId, macList));
    }
    return List.copyOf(out);
  }

  private static boolean sameKey(List<Entry> entries, Entry e) {
    for (Entry x : entries) {
      if (x.subnet().equals(e.subnet())) {
        return true;
      }
    }
    return false;
  }
}
