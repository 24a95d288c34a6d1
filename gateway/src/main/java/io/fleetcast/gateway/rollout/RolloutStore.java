package io.fleetcast.gateway.rollout;

import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.common.rollout.SqlStates;
import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.common.rollout.TargetTransitions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** Rollouts, their tasks and targets in Postgres: everything the engine and the API read and write. */
public final class RolloutStore {

  /** A rollout as the engine needs it. */
  public record RolloutRow(UUID id, String name, RolloutState state, int stepCount, int targetCount,
      List<Integer> waves, int currentWave, Integer maxInFlight, Double maxFailurePercent, boolean wakeOffline,
      Instant startAfter, Instant expiresAt, String owner, boolean resolving) {

    /** The same rollout once wave {@code wave} has been released. */
    public RolloutRow atWave(int wave) {
      return new RolloutRow(id, name, state, stepCount, targetCount, waves, wave, maxInFlight, maxFailurePercent,
          wakeOffline, startAfter, expiresAt, owner, resolving);
    }
  }

  /** One target handed out (or to hand out) for a step. */
  public record TargetStep(UUID agentId, int step) {}


  private final Pool pool;
  private final RolloutReads reads;
  private final RolloutLeases leases;
  private final Supplier<String[]> liveNodes;
  private final TargetResolver resolver;
  private final TargetStatistics statistics;

  /** A store that trusts {@code agents.online} alone (no cluster membership at hand). */
  public RolloutStore(Pool pool) {
    this(pool, () -> null);
  }

  /**
   * @param liveNodes node ids of the current cluster members: an agent whose presence names any
   *     other node is held by no live node, whatever its row says, and is neither picked nor waited on
   */
  public RolloutStore(Pool pool, Supplier<String[]> liveNodes) {
    this.pool = pool;
    this.reads = new RolloutReads(pool);
    this.leases = new RolloutLeases(pool);
    this.liveNodes = liveNodes;
    this.resolver = new TargetResolver(pool, liveNodes);
    this.statistics = new TargetStatistics(pool);
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Inserts the rollout (with its selector, marked resolving) and its tasks (frames already
   * signed), inside the caller's transaction; statements the caller issues right after are
   * pipelined behind these and see the rollout. The targets are resolved afterwards in chunks by
   * {@link TargetResolver}, the first one in this same transaction.
   */
  public Future<Void> insert(SqlClient tx, UUID id, RolloutSpec spec, RolloutState state, List<TaskRecord> tasks,
      String createdBy, String owner, UUID scheduleId, Instant scheduledFor) {
    Strategy s = spec.strategy();
    Tuple rollout = Tuple.tuple().addValue(id).addValue(spec.name()).addValue(state.wire()).addValue(spec.request())
        .addValue(spec.steps().size()).addValue(s.waves().toArray(new Integer[0])).addValue(s.maxInFlight())
        .addValue(s.maxFailurePercent()).addValue(s.wakeOffline()).addValue(s.requireConsent())
        .addValue(odt(s.startAfter())).addValue(odt(s.expiresAt())).addValue(createdBy).addValue(owner)
        .addValue(scheduleId).addValue(odt(scheduledFor)).addValue(TargetResolver.selectorJson(spec.targets()));
    Future<?> inserted = tx.preparedQuery("INSERT INTO rollouts (id, name, state, request, step_count, waves, max_in_flight, "
            + "max_failure_pct, wake_offline, require_consent, start_after, expires_at, created_by, owner, lease_until, "
            + "schedule_id, scheduled_for, current_wave, selector, resolve_phase, resolve_until) VALUES ($1, $2, $3, $4, "
            + "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now() + interval '10 seconds', $15, $16, -1, $17, 0, now())")
        .execute(rollout);
    List<Tuple> rows = new ArrayList<>();
    for (TaskRecord k : tasks) {
      rows.add(Tuple.tuple().addValue(k.taskId()).addValue(id).addValue(k.step()).addValue(k.kind())
          .addValue(k.spec()).addValue(k.continueOn()).addValue(odt(k.deadline())).addValue(k.frame()));
    }
    // pipelined behind the rollout's INSERT on the same connection (run in order, no round trip between)
    return Future.join(inserted, tx.preparedQuery("INSERT INTO tasks (id, rollout_id, step, kind, spec, continue_on, "
        + "deadline, frame) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)").executeBatch(rows)).mapEmpty();
  }

  /** Chunked target resolution (the first chunk at creation, the rest by the engine). */
  public TargetResolver resolver() {
    return resolver;
  }

  /** A task of a rollout, as stored. */
  public record TaskRecord(UUID taskId, int step, String kind, JsonObject spec, String continueOn, Instant deadline,
      String frame) {}

  public Future<RolloutRow> load(UUID id) {
    return pool.preparedQuery("SELECT id, name, state, step_count, target_count, waves, current_wave, max_in_flight, "
            + "max_failure_pct, wake_offline, start_after, expires_at, owner, resolve_phase IS NOT NULL FROM rollouts WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toRow(rows.iterator().next()));
  }

  private static RolloutRow toRow(Row r) {
    Integer[] waves = r.getArrayOfIntegers(5);
    return new RolloutRow(r.getUUID(0), r.getString(1), RolloutState.of(r.getString(2)), r.getInteger(3),
        r.getInteger(4), List.of(waves), r.getInteger(6), r.getInteger(7), r.getDouble(8), r.getBoolean(9),
        instant(r, 10), instant(r, 11), r.getString(12), r.getBoolean(13));
  }

  /** The frame of each step of a rollout, as signed at creation. */
  public Future<Map<Integer, TaskRecord>> tasks(UUID rolloutId) {
    return pool.preparedQuery("SELECT id, step, kind, spec, continue_on, deadline, frame FROM tasks WHERE rollout_id = $1")
        .execute(Tuple.of(rolloutId))
        .map(rows -> {
          Map<Integer, TaskRecord> out = new HashMap<>();
          for (Row r : rows) {
            out.put(r.getInteger(1), new TaskRecord(r.getUUID(0), r.getInteger(1), r.getString(2), r.getJsonObject(3),
                r.getString(4), instant(r, 5), r.getString(6)));
          }
          return out;
        });
  }

  /** Counts of released targets by state, plus all-final and pending-online flags: what {@link WavePolicy} needs. */
  public Future<WaveProgress> progress(UUID id, int total) {
    return progress(id, total, Detail.WINDOW);
  }

  /** How much of a rollout's progress a decision needs ({@link WavePolicy#needsWindow}). */
  public enum Detail {
    /** In flight and pending online exactly: stranded targets and online pending ones looked up. */
    WINDOW,
    /** The counts alone (completion, failures): two statements fewer per tick during a fan-out. */
    COUNTS
  }

  public Future<WaveProgress> progress(UUID id, int total, Detail detail) {
    return pool.preparedQuery("""
            SELECT (wave IS NOT NULL) AS released, state, count(*)::int FROM rollout_targets
            WHERE rollout_id = $1 GROUP BY 1, 2""")
        .execute(Tuple.of(id))
        .compose(rows -> {
          int released = 0, inFlight = 0, terminal = 0, failures = 0, allTerminal = 0, pendingReleased = 0;
          int dispatched = 0;
          for (Row r : rows) {
            boolean rel = r.getBoolean(0);
            TargetState st = TargetState.of(r.getString(1));
            int n = r.getInteger(2);
            if (TargetState.TERMINAL.contains(st)) {
              allTerminal += n;
            }
            if (!rel) {
              continue;
            }
            released += n;
            if (TargetState.IN_FLIGHT.contains(st)) {
              inFlight += n;
              if (st == TargetState.DISPATCHED) {
                dispatched += n;
              }
            } else if (TargetState.TERMINAL.contains(st)) {
              terminal += n;
              if (TargetState.FAILURES.contains(st)) {
                failures += n;
              }
            } else if (st == TargetState.PENDING) {
              pendingReleased += n;
            }
          }
          int fr = released, ft = terminal, ff = failures, pr = pendingReleased;
          boolean fa = allTerminal >= total;
          String[] live = liveNodes.get();
          int counted = inFlight;
          if (detail == Detail.COUNTS) {
            return Future.succeededFuture(new WaveProgress(total, fr, counted, pr > 0, ft, ff, fa));
          }
          return stranded(id, dispatched, live).compose(lost -> {
            int fi = counted - lost;
            if (pr == 0) {
              return Future.succeededFuture(new WaveProgress(total, fr, fi, false, ft, ff, fa));
            }
            return pool.preparedQuery("SELECT 1 FROM rollout_targets t JOIN agents a ON a.id = t.agent_id "
                    + "WHERE t.rollout_id = $1 AND t.state = " + TargetState.PENDING.sql() + " AND t.wave IS NOT NULL AND "
                    + TargetSql.heldByLiveNode(2) + " LIMIT 1")
                .execute(Tuple.tuple().addValue(id).addValue(live))
                .map(x -> new WaveProgress(total, fr, fi, x.size() > 0, ft, ff, fa));
          });
        });
  }

  /**
   * Released targets dispatched to an agent that no live node holds now (its node died or was cut
   * off, and the membership watcher marked it offline). They stay {@code dispatched}, so the task
   * is re-sent, never re-run, when the agent is back; but they must not hold the in-flight window
   * or the wave, or one unreachable node stalls the whole rollout.
   */
  private Future<Integer> stranded(UUID id, int dispatched, String[] live) {
    if (dispatched == 0) {
      return Future.succeededFuture(0);
    }
    return pool.preparedQuery("SELECT count(*)::int FROM rollout_targets t LEFT JOIN agents a ON a.id = t.agent_id "
            + "WHERE t.rollout_id = $1 AND t.state = " + TargetState.DISPATCHED.sql() + " AND t.wave IS NOT NULL AND NOT "
            + TargetSql.heldByLiveNode(2))
        .execute(Tuple.tuple().addValue(id).addValue(live))
        .map(r -> r.iterator().next().getInteger(0));
  }

  /** Starts wave {@code wave}: releases targets up to {@code cap}, online agents first. */
  public Future<Integer> releaseWave(UUID id, int wave, int cap) {
    return pool.preparedQuery(SqlStates.targets("""
            WITH rel AS (SELECT count(*)::int AS n FROM rollout_targets WHERE rollout_id = $1 AND wave IS NOT NULL),
            pick AS (
              SELECT t.agent_id FROM rollout_targets t LEFT JOIN agents a ON a.id = t.agent_id
              WHERE t.rollout_id = $1 AND t.wave IS NULL AND t.state = {pending}
              ORDER BY """ + TargetSql.heldByLiveNode(4) + """
               DESC, t.ordinal
              LIMIT GREATEST(0, $3 - (SELECT n FROM rel)))
            UPDATE rollout_targets t SET wave = $2 FROM pick
            WHERE t.rollout_id = $1 AND t.agent_id = pick.agent_id"""))
        .execute(Tuple.tuple().addValue(id).addValue(wave).addValue(cap).addValue(liveNodes.get()))
        .compose(r -> pool.preparedQuery("UPDATE rollouts SET current_wave = $2, started_at = COALESCE(started_at, now()) "
            + "WHERE id = $1").execute(Tuple.of(id, wave)).map(x -> r.rowCount()));
  }

  /** A released target to dispatch now, with the node its agent is connected to per its last presence. */
  public record PendingTarget(UUID agentId, int step, String nodeId) {}

  /**
   * Claims up to {@code limit} released pending targets whose agents are online, in wave order,
   * marking them dispatched in the same statement, before any frame leaves: acks and results are
   * accepted only from targets a step was dispatched to, so the record must come first (one
   * statement, as cheap as the read it replaces). Rows a result write holds are skipped.
   */
  public Future<List<PendingTarget>> claimPending(UUID id, int limit) {
    return pool.preparedQuery(TargetTransitions.CLAIM_PENDING)
        .execute(Tuple.tuple().addValue(id).addValue(limit).addValue(liveNodes.get()))
        .map(rows -> {
          List<PendingTarget> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new PendingTarget(r.getUUID(0), r.getInteger(1), r.getString(2)));
          }
          return out;
        });
  }

  /** Targets whose previous step finished and whose next step is due; clears the flag. */
  public Future<List<TargetStep>> claimNextSteps(UUID id, int limit) {
    return pool.preparedQuery(TargetTransitions.CLAIM_NEXT_STEPS)
        .execute(Tuple.of(id, limit))
        .map(RolloutStore::targetSteps);
  }

  /** Targets dispatched longer ago than {@code seconds} without an ack, whose agent is online: to send again. */
  public Future<List<TargetStep>> staleDispatched(UUID id, int seconds) {
    return pool.preparedQuery(TargetTransitions.REDISPATCH_STALE)
        .execute(Tuple.tuple().addValue(id).addValue(seconds).addValue(liveNodes.get()))
        .map(RolloutStore::targetSteps);
  }

  /** Open targets of the given agents in rollouts this gateway drives: to (re)send when they come online. */
  public Future<List<Row>> openTargetsOf(List<UUID> agents, String owner) {
    return pool.preparedQuery(SqlStates.targets("""
            SELECT t.rollout_id, t.agent_id, t.step, t.state FROM rollout_targets t
            JOIN rollouts r ON r.id = t.rollout_id JOIN agents a ON a.id = t.agent_id
            WHERE t.agent_id = ANY($1::uuid[]) AND r.owner = $2
              AND (t.state IN ({pending}, {waking}, {acked}, {running})
                   -- a dispatch sent after this connection began reached the new socket: do not send it twice
                   OR (t.state = {dispatched} AND (a.connected_at IS NULL OR t.dispatched_at < a.connected_at)))"""))
        .execute(Tuple.tuple().addValue(agents.toArray(new UUID[0])).addValue(owner))
        .map(rows -> {
          List<Row> out = new ArrayList<>();
          rows.forEach(out::add);
          return out;
        });
  }

  /** Puts targets that could not be delivered back to pending (or, mid-job, back to "next step due"). */
  public Future<Void> undeliverable(UUID id, List<UUID> agents) {
    if (agents.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(TargetTransitions.UNDELIVERABLE)
        .execute(Tuple.tuple().addValue(id).addValue(agents.toArray(new UUID[0])))
        .mapEmpty();
  }

  /** Ends every open target with {@code state} and {@code reason}; yields the ones that were in an agent's hands. */
  public Future<List<TargetStep>> finishOpenTargets(SqlClient client, UUID id, TargetState state, String reason) {
    return finish(client, TargetTransitions.FINISH_OPEN, id, state, reason);
  }

  /** Skips the targets not handed out yet (a halt): the ones in an agent's hands finish on their own. */
  public Future<Void> skipNotHandedOut(SqlClient client, UUID id, String reason) {
    return finish(client, TargetTransitions.FINISH_NOT_HANDED_OUT, id, TargetState.SKIPPED, reason).mapEmpty();
  }

  private static Future<List<TargetStep>> finish(SqlClient client, String sql, UUID id, TargetState state,
      String reason) {
    return client.preparedQuery(sql)
        .execute(Tuple.of(id, state.wire(), reason))
        .map(rows -> {
          List<TargetStep> out = new ArrayList<>();
          for (Row r : rows) {
            if (TargetState.in(TargetState.IN_FLIGHT, r.getString(2))) {
              out.add(new TargetStep(r.getUUID(0), r.getInteger(1)));
            }
          }
          return out;
        });
  }

  /** Moves the rollout from {@code from} to {@code to} if it is still in {@code from}; yields whether it moved. */
  public Future<Boolean> setState(SqlClient client, UUID id, RolloutState from, RolloutState to, String reason) {
    String finish = RolloutState.FINAL.contains(to) ? ", finished_at = now()" : "";
    String start = to == RolloutState.RUNNING ? ", started_at = COALESCE(started_at, now())" : "";
    // a rollout that stops for good (halted, cancelled, expired) stops resolving: what is not resolved yet never joins
    String resolve = RolloutState.FINAL.contains(to) || to == RolloutState.HALTED
        ? ", resolve_phase = NULL, resolve_cursor = NULL" : "";
    return client.preparedQuery("UPDATE rollouts SET state = $3, state_reason = COALESCE($4, state_reason)" + finish + start
            + resolve + " WHERE id = $1 AND state = $2")
        .execute(Tuple.of(id, from.wire(), to.wire(), reason))
        .map(r -> r.rowCount() > 0);
  }

  /** Who drives which rollout (Postgres leases). */
  public RolloutLeases leases() {
    return leases;
  }


  /** After a large rollout is resolved: the planner's statistics of the target table, refreshed if too old for it ({@link TargetStatistics}). */
  public Future<Boolean> refreshStatistics(int newTargets) {
    return statistics.refresh(newTargets);
  }

  /** A halted rollout whose last in-flight target finished: nothing is left to drive. */
  public Future<Void> markFinished(UUID id) {
    return pool.preparedQuery("UPDATE rollouts SET finished_at = COALESCE(finished_at, now()), owner = NULL WHERE id = $1")
        .execute(Tuple.of(id)).mapEmpty();
  }

  /** Whether any target of the rollout has already been marked expired. */
  public Future<Boolean> anyExpired(UUID id) {
    return pool.preparedQuery("SELECT 1 FROM rollout_targets WHERE rollout_id = $1 AND state = "
            + TargetState.EXPIRED.sql() + " LIMIT 1")
        .execute(Tuple.of(id)).map(r -> r.size() > 0);
  }

  /** The reads the API serves (rollout, counts, pages of rollouts, results and targets). */
  public RolloutReads reads() {
    return reads;
  }

  static List<TargetStep> targetSteps(RowSet<Row> rows) {
    List<TargetStep> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new TargetStep(r.getUUID(0), r.getInteger(1)));
    }
    return out;
  }

  static OffsetDateTime odt(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Row r, int col) {
    OffsetDateTime t = r.getOffsetDateTime(col);
    return t == null ? null : t.toInstant();
  }

  static String text(Row r, int col) {
    Instant i = instant(r, col);
    return i == null ? null : i.toString();
  }
}
