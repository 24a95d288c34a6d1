package io.fleetcast.gateway.rollout;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
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

/** Rollouts, their tasks and targets in Postgres: everything the engine and the API read and write. */
public final class RolloutStore {

  /** A rollout as the engine needs it. */
  public record RolloutRow(UUID id, String name, String state, int stepCount, int targetCount, List<Integer> waves,
      int currentWave, Integer maxInFlight, Double maxFailurePercent, boolean wakeOffline, Instant startAfter,
      Instant expiresAt, String owner) {

    /** The same rollout once wave {@code wave} has been released. */
    public RolloutRow atWave(int wave) {
      return new RolloutRow(id, name, state, stepCount, targetCount, waves, wave, maxInFlight, maxFailurePercent,
          wakeOffline, startAfter, expiresAt, owner);
    }
  }

  /** One target handed out (or to hand out) for a step. */
  public record TargetStep(UUID agentId, int step) {}

  /**
   * Resolves the targets in one statement. The order is random among online agents first, and the
   * first wave (ceil(waves[0] % of the targets), at least one) is marked released right here, so
   * a rollout's first dispatch does not have to rewrite every target row first.
   */
  static final String RESOLVE_TARGETS = """
      INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, wave)
      SELECT $1, x.id, x.rn::int - 1, CASE WHEN x.rn <= GREATEST(1, ceil($6::int * x.total / 100.0)) THEN 0 END
      FROM (SELECT a.id, row_number() OVER (ORDER BY a.online DESC, random()) AS rn, count(*) OVER () AS total
            FROM agents a
            WHERE """ + selector(2) + ") x";

  /**
   * Which agents a target selector names (alias {@code a}), its four parameters numbered from
   * {@code first}: all, agent ids, tags, subnets. Shared by resolution and the count preview.
   */
  static String selector(int first) {
    return " " + """
        a.revoked_at IS NULL AND (
          $A::boolean
          OR a.id = ANY($B::uuid[])
          OR ((cardinality($C::text[]) > 0 OR cardinality($D::text[]) > 0)
              AND a.tags @> $C::text[]
              AND (cardinality($D::text[]) = 0
                   OR EXISTS (SELECT 1 FROM unnest(a.ips) ip, unnest($D::text[]::cidr[]) s WHERE ip <<= s))))"""
        .replace("$A", "$" + first).replace("$B", "$" + (first + 1)).replace("$C", "$" + (first + 2))
        .replace("$D", "$" + (first + 3));
  }

  private final Pool pool;

  public RolloutStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** Agent ids named explicitly that are not enrolled (or revoked). */
  public Future<List<String>> unknownAgents(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] arr = ids.stream().map(UUID::fromString).toArray(UUID[]::new);
    return pool.preparedQuery("SELECT x::text FROM unnest($1::uuid[]) x WHERE NOT EXISTS "
            + "(SELECT 1 FROM agents a WHERE a.id = x AND a.revoked_at IS NULL)")
        .execute(Tuple.tuple().addValue(arr))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getString(0)));
          return out;
        });
  }

  /**
   * Inserts the rollout, its tasks (frames already signed) and its targets, resolved in one
   * statement, inside the caller's transaction. Yields the number of targets.
   */
  public Future<Integer> insert(SqlClient tx, UUID id, RolloutSpec spec, String state, List<TaskRecord> tasks,
      String createdBy, String owner, UUID scheduleId, Instant scheduledFor) {
    Strategy s = spec.strategy();
    TargetSpec t = spec.targets();
    Tuple rollout = Tuple.tuple().addValue(id).addValue(spec.name()).addValue(state).addValue(spec.request())
        .addValue(spec.steps().size()).addValue(s.waves().toArray(new Integer[0])).addValue(s.maxInFlight())
        .addValue(s.maxFailurePercent()).addValue(s.wakeOffline()).addValue(s.requireConsent())
        .addValue(odt(s.startAfter())).addValue(odt(s.expiresAt())).addValue(createdBy).addValue(owner)
        .addValue(scheduleId).addValue(odt(scheduledFor));
    return tx.preparedQuery("INSERT INTO rollouts (id, name, state, request, step_count, waves, max_in_flight, "
            + "max_failure_pct, wake_offline, require_consent, start_after, expires_at, created_by, owner, lease_until, "
            + "schedule_id, scheduled_for, current_wave) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
            + "$14, now() + interval '10 seconds', $15, $16, -1)")
        .execute(rollout)
        .compose(r -> {
          List<Tuple> rows = new ArrayList<>();
          for (TaskRecord k : tasks) {
            rows.add(Tuple.tuple().addValue(k.taskId()).addValue(id).addValue(k.step()).addValue(k.kind())
                .addValue(k.spec()).addValue(k.continueOn()).addValue(odt(k.deadline())).addValue(k.frame()));
          }
          return tx.preparedQuery("INSERT INTO tasks (id, rollout_id, step, kind, spec, continue_on, deadline, frame) "
              + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)").executeBatch(rows);
        })
        .compose(r -> tx.preparedQuery(RESOLVE_TARGETS).execute(Tuple.tuple().addValue(id).addValue(t.all())
            .addValue(t.agents().stream().map(UUID::fromString).toArray(UUID[]::new))
            .addValue(t.tags().toArray(new String[0])).addValue(t.subnets().toArray(new String[0]))
            .addValue(s.waves().get(0))))
        .compose(r -> {
          int n = r.rowCount();
          return tx.preparedQuery("UPDATE rollouts SET target_count = $2 WHERE id = $1").execute(Tuple.of(id, n))
              .map(x -> n);
        });
  }

  /** A task of a rollout, as stored. */
  public record TaskRecord(UUID taskId, int step, String kind, JsonObject spec, String continueOn, Instant deadline,
      String frame) {}

  public Future<RolloutRow> load(UUID id) {
    return pool.preparedQuery("SELECT id, name, state, step_count, target_count, waves, current_wave, max_in_flight, "
            + "max_failure_pct, wake_offline, start_after, expires_at, owner FROM rollouts WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toRow(rows.iterator().next()));
  }

  private static RolloutRow toRow(Row r) {
    Integer[] waves = r.getArrayOfIntegers(5);
    return new RolloutRow(r.getUUID(0), r.getString(1), r.getString(2), r.getInteger(3), r.getInteger(4),
        List.of(waves), r.getInteger(6), r.getInteger(7), r.getDouble(8), r.getBoolean(9), instant(r, 10),
        instant(r, 11), r.getString(12));
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
    return pool.preparedQuery("""
            SELECT (wave IS NOT NULL) AS released, state, count(*)::int FROM rollout_targets
            WHERE rollout_id = $1 GROUP BY 1, 2""")
        .execute(Tuple.of(id))
        .compose(rows -> {
          int released = 0, inFlight = 0, terminal = 0, failures = 0, allTerminal = 0, pendingReleased = 0;
          for (Row r : rows) {
            boolean rel = r.getBoolean(0);
            String st = r.getString(1);
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
            } else if (TargetState.TERMINAL.contains(st)) {
              terminal += n;
              if (TargetState.FAILURES.contains(st)) {
                failures += n;
              }
            } else if (TargetState.PENDING.equals(st)) {
              pendingReleased += n;
            }
          }
          int fr = released, fi = inFlight, ft = terminal, ff = failures;
          boolean fa = allTerminal >= total;
          if (pendingReleased == 0) {
            return Future.succeededFuture(new WaveProgress(total, fr, fi, false, ft, ff, fa));
          }
          return pool.preparedQuery("SELECT 1 FROM rollout_targets t JOIN agents a ON a.id = t.agent_id "
                  + "WHERE t.rollout_id = $1 AND t.state = 'pending' AND t.wave IS NOT NULL AND a.online LIMIT 1")
              .execute(Tuple.of(id))
              .map(x -> new WaveProgress(total, fr, fi, x.size() > 0, ft, ff, fa));
        });
  }

  /** Starts wave {@code wave}: releases targets up to {@code cap}, online agents first. */
  public Future<Integer> releaseWave(UUID id, int wave, int cap) {
    return pool.preparedQuery("""
            WITH rel AS (SELECT count(*)::int AS n FROM rollout_targets WHERE rollout_id = $1 AND wave IS NOT NULL),
            pick AS (
              SELECT t.agent_id FROM rollout_targets t LEFT JOIN agents a ON a.id = t.agent_id
              WHERE t.rollout_id = $1 AND t.wave IS NULL AND t.state = 'pending'
              ORDER BY COALESCE(a.online, false) DESC, t.ordinal
              LIMIT GREATEST(0, $3 - (SELECT n FROM rel)))
            UPDATE rollout_targets t SET wave = $2 FROM pick
            WHERE t.rollout_id = $1 AND t.agent_id = pick.agent_id""")
        .execute(Tuple.of(id, wave, cap))
        .compose(r -> pool.preparedQuery("UPDATE rollouts SET current_wave = $2, started_at = COALESCE(started_at, now()) "
            + "WHERE id = $1").execute(Tuple.of(id, wave)).map(x -> r.rowCount()));
  }

  /** A released target to dispatch now, with the node its agent is connected to per its last presence. */
  public record PendingTarget(UUID agentId, int step, String nodeId) {}

  /**
   * Up to {@code limit} released pending targets whose agents are online, in wave order. Read
   * only: the caller sends first and records the dispatch at the same time ({@link #markDispatched}).
   */
  public Future<List<PendingTarget>> pendingBatch(UUID id, int limit) {
    return pool.preparedQuery("""
            SELECT t.agent_id, t.step, a.node_id FROM rollout_targets t JOIN agents a ON a.id = t.agent_id AND a.online
            WHERE t.rollout_id = $1 AND t.state = 'pending' AND t.wave IS NOT NULL
            ORDER BY t.ordinal LIMIT $2""")
        .execute(Tuple.of(id, limit))
        .map(rows -> {
          List<PendingTarget> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new PendingTarget(r.getUUID(0), r.getInteger(1), r.getString(2)));
          }
          return out;
        });
  }

  /**
   * Records targets as dispatched. Only pending ones move: an agent may already have acked or
   * answered (acks and results accept pending targets), and rows a result write holds are
   * skipped rather than waited for, which also rules out lock-order deadlocks with it.
   */
  public Future<Void> markDispatched(UUID id, List<UUID> agents) {
    return pool.preparedQuery("""
            UPDATE rollout_targets t SET state = 'dispatched', dispatched_at = now(), attempts = attempts + 1
            FROM (SELECT agent_id FROM rollout_targets
                  WHERE rollout_id = $1 AND agent_id = ANY($2::uuid[]) AND state = 'pending'
                  FOR UPDATE SKIP LOCKED) s
            WHERE t.rollout_id = $1 AND t.agent_id = s.agent_id""")
        .execute(Tuple.tuple().addValue(id).addValue(agents.toArray(new UUID[0])))
        .mapEmpty();
  }

  /** Targets whose previous step finished and whose next step is due; clears the flag. */
  public Future<List<TargetStep>> claimNextSteps(UUID id, int limit) {
    return pool.preparedQuery("""
            UPDATE rollout_targets t SET next_step_ready = false, dispatched_at = now()
            FROM (SELECT agent_id FROM rollout_targets WHERE rollout_id = $1 AND next_step_ready
                  AND state = 'running' LIMIT $2 FOR UPDATE SKIP LOCKED) s
            WHERE t.rollout_id = $1 AND t.agent_id = s.agent_id
            RETURNING t.agent_id, t.step""")
        .execute(Tuple.of(id, limit))
        .map(RolloutStore::targetSteps);
  }

  /** Targets dispatched longer ago than {@code seconds} without an ack, whose agent is online: to send again. */
  public Future<List<TargetStep>> staleDispatched(UUID id, int seconds) {
    return pool.preparedQuery("""
            UPDATE rollout_targets t SET dispatched_at = now(), attempts = attempts + 1
            FROM agents a
            WHERE t.rollout_id = $1 AND a.id = t.agent_id AND a.online AND t.state = 'dispatched'
              AND t.dispatched_at < now() - make_interval(secs => $2)
            RETURNING t.agent_id, t.step""")
        .execute(Tuple.of(id, seconds))
        .map(RolloutStore::targetSteps);
  }

  /** Open targets of the given agents in rollouts this gateway drives: to (re)send when they come online. */
  public Future<List<Row>> openTargetsOf(List<UUID> agents, String owner) {
    return pool.preparedQuery("""
            SELECT t.rollout_id, t.agent_id, t.step, t.state FROM rollout_targets t
            JOIN rollouts r ON r.id = t.rollout_id JOIN agents a ON a.id = t.agent_id
            WHERE t.agent_id = ANY($1::uuid[]) AND r.owner = $2
              AND (t.state IN ('pending', 'waking', 'acked', 'running')
                   -- a dispatch sent after this connection began reached the new socket: do not send it twice
                   OR (t.state = 'dispatched' AND (a.connected_at IS NULL OR t.dispatched_at < a.connected_at)))""")
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
    return pool.preparedQuery("""
            UPDATE rollout_targets SET
              state = CASE WHEN state = 'dispatched' THEN 'pending' ELSE state END,
              next_step_ready = CASE WHEN state = 'running' THEN true ELSE next_step_ready END,
              dispatched_at = NULL
            WHERE rollout_id = $1 AND agent_id = ANY($2::uuid[]) AND state IN ('dispatched', 'running')""")
        .execute(Tuple.tuple().addValue(id).addValue(agents.toArray(new UUID[0])))
        .mapEmpty();
  }

  /** Ends every open target with {@code state} and {@code reason}; yields the ones that were in an agent's hands. */
  public Future<List<TargetStep>> finishOpenTargets(SqlClient client, UUID id, String state, String reason,
      boolean includeInFlight) {
    String which = includeInFlight ? "('pending', 'waking', 'dispatched', 'acked', 'running')" : "('pending', 'waking')";
    return client.preparedQuery("""
            WITH old AS (SELECT agent_id, state AS was FROM rollout_targets WHERE rollout_id = $1 AND state IN """
            + which + """
             FOR UPDATE)
            UPDATE rollout_targets t SET state = $2, reason = $3, finished_at = now(), next_step_ready = false
            FROM old WHERE t.rollout_id = $1 AND t.agent_id = old.agent_id
            RETURNING t.agent_id, t.step, old.was""")
        .execute(Tuple.of(id, state, reason))
        .map(rows -> {
          List<TargetStep> out = new ArrayList<>();
          for (Row r : rows) {
            if (TargetState.IN_FLIGHT.contains(r.getString(2))) {
              out.add(new TargetStep(r.getUUID(0), r.getInteger(1)));
            }
          }
          return out;
        });
  }

  public Future<Boolean> setState(SqlClient client, UUID id, String from, String to, String reason) {
    String finish = RolloutState.FINAL.contains(to) ? ", finished_at = now()" : "";
    String start = RolloutState.RUNNING.equals(to) ? ", started_at = COALESCE(started_at, now())" : "";
    return client.preparedQuery("UPDATE rollouts SET state = $3, state_reason = COALESCE($4, state_reason)" + finish + start
            + " WHERE id = $1 AND state = $2")
        .execute(Tuple.of(id, from, to, reason))
        .map(r -> r.rowCount() > 0);
  }

  /**
   * Renews the leases of rollouts this gateway drives and claims up to {@code maxNew} orphans
   * (never owned, or whose owner's lease lapsed: that gateway is gone). Postgres decides, not
   * a Hazelcast lock, so two sides of a partition cannot both drive one rollout.
   */
  public Future<List<UUID>> claimLeases(String owner, int leaseSeconds, int maxNew) {
    Future<RowSet<Row>> renewed = pool.preparedQuery("""
            UPDATE rollouts SET lease_until = now() + make_interval(secs => $2)
            WHERE owner = $1 AND (state IN ('scheduled', 'running', 'paused') OR (state = 'halted' AND finished_at IS NULL))
              AND lease_until >= now()
            RETURNING id""").execute(Tuple.of(owner, leaseSeconds));
    return renewed.compose(own -> pool.preparedQuery("""
            UPDATE rollouts SET owner = $1, lease_until = now() + make_interval(secs => $2)
            WHERE id IN (SELECT id FROM rollouts
                         WHERE (state IN ('scheduled', 'running', 'paused') OR (state = 'halted' AND finished_at IS NULL))
                           AND (owner IS NULL OR lease_until < now())
                         ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING id""").execute(Tuple.of(owner, leaseSeconds, maxNew))
        .map(claimed -> {
          List<UUID> out = new ArrayList<>();
          own.forEach(r -> out.add(r.getUUID(0)));
          claimed.forEach(r -> out.add(r.getUUID(0)));
          return out;
        }));
  }

  public Future<Void> releaseLeases(String owner) {
    return pool.preparedQuery("UPDATE rollouts SET owner = NULL, lease_until = NULL WHERE owner = $1")
        .execute(Tuple.of(owner)).mapEmpty();
  }

  /**
   * After a large rollout is resolved, refreshes the planner's statistics of the target table
   * at once. Autovacuum would take up to a minute, and meanwhile every result batch of the new
   * rollout was planned for a table the planner believed nearly empty (measured: seconds-long
   * result commit tails in the first fan-out after start).
   */
  public Future<Void> refreshStatistics(int newTargets) {
    if (newTargets < 1000) {
      return Future.succeededFuture();
    }
    return pool.query("ANALYZE rollout_targets").execute().<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  /** A halted rollout whose last in-flight target finished: nothing is left to drive. */
  public Future<Void> markFinished(UUID id) {
    return pool.preparedQuery("UPDATE rollouts SET finished_at = COALESCE(finished_at, now()), owner = NULL WHERE id = $1")
        .execute(Tuple.of(id)).mapEmpty();
  }

  /** How many rollouts are in each state (for the rollouts-by-state gauge). */
  public Future<java.util.Map<String, Integer>> countByState() {
    return pool.query("SELECT state, count(*)::int FROM rollouts GROUP BY state").execute().map(rows -> {
      java.util.Map<String, Integer> out = new HashMap<>();
      rows.forEach(r -> out.put(r.getString(0), r.getInteger(1)));
      return out;
    });
  }

  /** Whether any target of the rollout has already been marked expired. */
  public Future<Boolean> anyExpired(UUID id) {
    return pool.preparedQuery("SELECT 1 FROM rollout_targets WHERE rollout_id = $1 AND state = 'expired' LIMIT 1")
        .execute(Tuple.of(id)).map(r -> r.size() > 0);
  }

  // ---- API reads

  public Future<JsonObject> describe(UUID id) {
    return pool.preparedQuery("SELECT id, name, state, state_reason, target_count, created_at, started_at, finished_at, "
            + "created_by, step_count, current_wave, waves, expires_at, start_after FROM rollouts WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(null);
          }
          JsonObject j = rolloutJson(rows.iterator().next());
          return counts(id).map(c -> j.put("counts", c));
        });
  }

  public Future<JsonObject> counts(UUID id) {
    return pool.preparedQuery("SELECT state, count(*)::int FROM rollout_targets WHERE rollout_id = $1 GROUP BY state")
        .execute(Tuple.of(id))
        .map(rows -> {
          JsonObject c = new JsonObject();
          rows.forEach(r -> c.put(r.getString(0), r.getInteger(1)));
          return c;
        });
  }

  static JsonObject rolloutJson(Row r) {
    JsonObject j = new JsonObject()
        .put("id", r.getUUID(0).toString())
        .put("name", r.getString(1))
        .put("state", r.getString(2))
        .put("reason", r.getString(3))
        .put("targets", r.getInteger(4))
        .put("createdAt", text(r, 5))
        .put("startedAt", text(r, 6))
        .put("finishedAt", text(r, 7))
        .put("createdBy", r.getString(8));
    if (r.size() > 9) {
      j.put("steps", r.getInteger(9));
      j.put("currentWave", r.getInteger(10) + 1);
      j.put("waves", new JsonArray(List.of(r.getArrayOfIntegers(11))));
      j.put("expiresAt", text(r, 12));
      j.put("startAfter", text(r, 13));
    }
    return j;
  }

  public Future<JsonObject> list(String state, int limit, Instant afterCreated, UUID afterId) {
    String where = "WHERE ($1::text IS NULL OR state = $1)"
        + (afterId == null ? "" : " AND (created_at, id) < ($3, $4)");
    Tuple args = Tuple.of(state, limit + 1);
    if (afterId != null) {
      args.addValue(odt(afterCreated)).addValue(afterId);
    }
    return pool.preparedQuery("SELECT id, name, state, state_reason, target_count, created_at, started_at, finished_at, "
            + "created_by FROM rollouts " + where + " ORDER BY created_at DESC, id DESC LIMIT $2")
        .execute(args)
        .map(rows -> page(rows, limit, r -> rolloutJson(r), r -> r.getOffsetDateTime(5).toInstant() + "|" + r.getUUID(0)));
  }

  public Future<JsonObject> results(UUID id, String status, int limit, UUID afterAgent, int afterStep) {
    String where = "WHERE rollout_id = $1 AND ($2::text IS NULL OR status = $2)"
        + (afterAgent == null ? "" : " AND (agent_id, step) > ($4, $5)");
    Tuple args = Tuple.of(id, status, limit + 1);
    if (afterAgent != null) {
      args.addValue(afterAgent).addValue(afterStep);
    }
    return pool.preparedQuery("SELECT agent_id, step, task_id, status, exit_code, output, started_at, finished_at, stored_at "
            + "FROM results " + where + " ORDER BY agent_id, step LIMIT $3")
        .execute(args)
        .map(rows -> page(rows, limit, r -> new JsonObject()
            .put("agentId", r.getUUID(0).toString())
            .put("step", r.getInteger(1))
            .put("taskId", r.getUUID(2).toString())
            .put("status", r.getString(3))
            .put("exitCode", r.getInteger(4))
            .put("output", r.getString(5))
            .put("startedAt", text(r, 6))
            .put("finishedAt", text(r, 7))
            .put("storedAt", text(r, 8)), r -> r.getUUID(0) + "|" + r.getInteger(1)));
  }

  /** Every target with its state and reason (the per-host table an operator reads after a rollout). */
  public Future<JsonObject> targets(UUID id, String state, int limit, UUID afterAgent) {
    String where = "WHERE rollout_id = $1 AND ($2::text IS NULL OR state = $2)"
        + (afterAgent == null ? "" : " AND agent_id > $4");
    Tuple args = Tuple.of(id, state, limit + 1);
    if (afterAgent != null) {
      args.addValue(afterAgent);
    }
    return pool.preparedQuery("SELECT agent_id, state, step, reason, attempts, dispatched_at, finished_at, wave "
            + "FROM rollout_targets " + where + " ORDER BY agent_id LIMIT $3")
        .execute(args)
        .map(rows -> page(rows, limit, r -> new JsonObject()
            .put("agentId", r.getUUID(0).toString())
            .put("state", r.getString(1))
            .put("step", r.getInteger(2))
            .put("reason", r.getString(3))
            .put("attempts", r.getInteger(4))
            .put("dispatchedAt", text(r, 5))
            .put("finishedAt", text(r, 6))
            .put("wave", r.getInteger(7) == null ? null : r.getInteger(7) + 1), r -> r.getUUID(0).toString()));
  }

  static JsonObject page(RowSet<Row> rows, int limit, java.util.function.Function<Row, JsonObject> toJson,
      java.util.function.Function<Row, String> cursorOf) {
    JsonArray items = new JsonArray();
    String next = null;
    int i = 0;
    for (Row r : rows) {
      if (i++ == limit) {
        break;
      }
      items.add(toJson.apply(r));
      next = cursorOf.apply(r);
    }
    return new JsonObject().put("items", items).put("next", rows.size() > limit ? Cursor.encode(next) : null);
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
