package io.fleetcast.gateway.rollout;

import io.fleetcast.common.bus.FanOutPart;
import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.gateway.rollout.RolloutStore.PendingTarget;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Resolves a rollout's targets in chunks, after the rollout is committed: the first chunk in the
 * creating transaction (its online targets claimed, so their frames leave right after the
 * commit), the rest by whichever gateway drives the rollout, one short transaction per chunk.
 * Agents online on a live node are resolved first (phase 0), then every other agent the selector
 * names (phase 1). Where resolution stands is stored with the rollout (phase, cursor), so a
 * gateway that takes the rollout over after a crash resumes it; a chunk written twice inserts
 * nothing twice.
 */
public final class TargetResolver {

  /** Targets per chunk resolved by the engine. */
  static final int CHUNK = 5_000;
  /**
   * Targets resolved (and claimed) in the creating transaction: small, so the first frames leave at
   * once (resolution costs Postgres ~20 µs per target; the next chunk follows right after the commit).
   */
  static final int FIRST_CHUNK = 250;

  /**
   * What a chunk did: the targets it claimed (to send now), whether resolution is finished, how
   * many targets are resolved so far, and whether later chunks may claim more (the nodes' hint).
   */
  public record Chunk(List<PendingTarget> claimed, boolean done, int resolved, FanOutPart part) {}

  /**
   * How much of a chunk joins the first wave and how much of that may be claimed for dispatch now.
   * {@code release} 0 when the first wave is a share of the total (it is released once the total is known).
   */
  public record Budget(int release, int claim) {}

  private final Pool pool;
  private final Supplier<String[]> liveNodes;
  private final int firstChunk;
  private final int chunk;

  TargetResolver(Pool pool, Supplier<String[]> liveNodes) {
    this(pool, liveNodes, FIRST_CHUNK, CHUNK);
  }

  TargetResolver(Pool pool, Supplier<String[]> liveNodes, int firstChunk, int chunk) {
    this.pool = pool;
    this.liveNodes = liveNodes;
    this.firstChunk = firstChunk;
    this.chunk = chunk;
  }

  /** The selector as stored with the rollout. */
  static JsonObject selectorJson(TargetSpec t) {
    return new JsonObject().put("all", t.all()).put("agents", new JsonArray(t.agents()))
        .put("tags", new JsonArray(t.tags())).put("reportedTags", new JsonArray(t.reportedTags()))
        .put("subnets", new JsonArray(t.subnets()));
  }

  static TargetSpec selector(JsonObject j) {
    return new TargetSpec(strings(j, "agents"), strings(j, "tags"), strings(j, "reportedTags"), strings(j, "subnets"),
        j.getBoolean("all", false));
  }

  private static List<String> strings(JsonObject j, String key) {
    List<String> out = new ArrayList<>();
    j.getJsonArray(key, new JsonArray()).forEach(o -> out.add((String) o));
    return out;
  }

  /** How many agents the selector of rollout {@code id} names (its snapshot). */
  Future<Integer> count(SqlClient client, UUID id, TargetSpec t) {
    return client.preparedQuery(TargetSql.COUNT_TARGETS)
        .execute(selectorArgs(Tuple.tuple(), t).addValue(id))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  /** The first chunk, inside the transaction that inserted the rollout (resolve_phase 0, no cursor yet). */
  Future<Chunk> first(SqlClient tx, UUID id, TargetSpec t, Budget budget) {
    int limit = Math.min(firstChunk, Math.max(1, budget.release()));
    return chunk(tx, id, t, 0, null, 0, limit, budget).compose(online -> {
      if (online.resolved() >= limit) {
        return Future.succeededFuture(online);
      }
      // fewer online agents than a chunk: a small rollout is resolved whole before it commits
      Budget rest = new Budget(Math.max(0, budget.release() - online.resolved()),
          Math.max(0, budget.claim() - online.claimed().size()));
      return chunk(tx, id, t, 1, null, online.resolved(), Math.max(1, Math.min(firstChunk, rest.release())), rest)
          .map(offline -> {
            List<PendingTarget> claimed = new ArrayList<>(online.claimed());
            claimed.addAll(offline.claimed());
            return new Chunk(claimed, offline.done(), offline.resolved(), FanOutPart.LAST);
          });
    });
  }

  /**
   * Resolves the next chunk of a rollout still resolving, in its own transaction. The rollout row
   * is locked first, so a cancel, halt or expiry (which end resolution) and a chunk never
   * interleave. A rollout no longer resolving yields an empty, finished chunk.
   */
  Future<Chunk> next(UUID id, Budget budget) {
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT selector, resolve_phase, resolve_cursor, target_count, "
            + "state FROM rollouts WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .compose(rows -> {
          Row r = rows.size() == 0 ? null : rows.iterator().next();
          if (r == null || r.getInteger(1) == null) {
            return Future.succeededFuture(new Chunk(List.of(), true, r == null ? 0 : r.getInteger(3), FanOutPart.LAST));
          }
          return chunk(tx, id, selector(r.getJsonObject(0)), r.getInteger(1), r.getUUID(2),
              r.getInteger(3), chunk, budget);
        }));
  }

  private Future<Chunk> chunk(SqlClient tx, UUID id, TargetSpec t, int phase, UUID cursor,
      int resolved, int limit, Budget budget) {
    Tuple args = selectorArgs(Tuple.tuple().addValue(id), t).addValue(liveNodes.get()).addValue(phase)
        .addValue(cursor).addValue(limit).addValue(resolved).addValue(budget.release()).addValue(budget.claim());
    return tx.preparedQuery(phase == 0 ? TargetSql.RESOLVE_CHUNK_ONLINE : TargetSql.RESOLVE_CHUNK_REST).execute(args).compose(rows -> {
      List<PendingTarget> claimed = new ArrayList<>();
      int inserted = 0;
      int picked = 0;
      UUID last = null;
      for (Row r : rows) {
        if (r.getUUID(0) != null) {
          inserted++;
          if (TargetState.DISPATCHED.wire().equals(r.getString(1))) {
            claimed.add(new PendingTarget(r.getUUID(0), 0, r.getString(2)));
          }
        } else {
          last = r.getUUID(3);
          picked = r.getInteger(4);
        }
      }
      boolean phaseDone = picked < limit;
      Integer nextPhase = !phaseDone ? Integer.valueOf(phase) : phase == 0 ? Integer.valueOf(1) : null;
      UUID nextCursor = phaseDone ? null : last;
      int total = resolved + inserted;
      return tx.preparedQuery("UPDATE rollouts SET resolve_phase = $2, resolve_cursor = $3, target_count = $4 "
              + "WHERE id = $1")
          .execute(Tuple.tuple().addValue(id).addValue(nextPhase).addValue(nextCursor).addValue(total))
          // only the online phase claims targets: once it ends, no more frames of this fan-out follow
          .map(x -> new Chunk(claimed, nextPhase == null, total,
              Integer.valueOf(0).equals(nextPhase) ? FanOutPart.MORE_TO_COME : FanOutPart.LAST));
    });
  }

  private static Tuple selectorArgs(Tuple args, TargetSpec t) {
    return args.addValue(t.all()).addValue(t.agents().stream().map(UUID::fromString).toArray(UUID[]::new))
        .addValue(t.tags().toArray(new String[0])).addValue(t.subnets().toArray(new String[0]))
        .addValue(t.reportedTags().toArray(new String[0]));
  }
}
