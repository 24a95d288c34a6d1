package io.fleetcast.common.db;

import io.fleetcast.common.log.Kv;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Keeps the planner's statistics of the busiest tables current, as autovacuum's analyze would,
 * for installations where autovacuum is off or behind. A connect storm flips every agent's
 * {@code online}; with statistics from before it (or none: a table never analyzed) Postgres
 * chose whole-table sorts over index walks for target resolution (measured on a server with
 * autovacuum off: every chunk of a 100,000-target rollout sorted all agents). A pass reads the
 * change counters and runs {@code ANALYZE}, one table at a time, off every request path, on each
 * table that {@link #stale} says needs it: never analyzed, or its row count moved by a tenth since
 * the last analyze, or a tenth of its rows changed and the last analyze is {@link #CHURN_INTERVAL}
 * old. The interval is there because updates in place (every agent's {@code last_seen}, every
 * target's state) change a tenth of a table within seconds in a busy fleet, and an analyze every
 * pass cost Postgres 0.4-4 s of CPU per 30 s at 100,000 agents, beside the fan-out it was meant
 * to help.
 */
public final class PlannerStatistics {
  private static final Logger LOG = Logger.getLogger(PlannerStatistics.class.getName());
  /** Fewer changed rows than this never trigger an analyze (autovacuum's threshold is 50). */
  static final long MIN_CHANGES = 1000;
  /** A table changed by this share of its rows is analyzed (autovacuum's analyze scale factor). */
  static final double SHARE = 0.1;
  /** Rows changed in place, without the row count moving, re-analyze a table at most this often. */
  static final Duration CHURN_INTERVAL = Duration.ofMinutes(10);

  /**
   * What Postgres says of a table.
   *
   * @param changed rows inserted, updated or deleted since its last analyze
   * @param live its rows now (the statistics collector's count)
   * @param analyzedRows its rows at the last analyze or vacuum ({@code pg_class.reltuples}; negative: never)
   * @param sinceAnalyze time since its last analyze, manual or automatic; null: never analyzed
   */
  record TableStats(long changed, long live, double analyzedRows, Duration sinceAnalyze) {}

  private final Pool pool;
  private final List<String> tables;
  private boolean running;

  public PlannerStatistics(Pool pool, List<String> tables) {
    this.pool = pool;
    this.tables = List.copyOf(tables);
  }

  /** Whether a table needs an analyze now. */
  static boolean stale(TableStats t) {
    if (t.changed() < MIN_CHANGES) {
      return false;
    }
    boolean muchChanged = t.changed() >= SHARE * Math.max(0, t.live());
    if (t.analyzedRows() < 0 || t.sinceAnalyze() == null) {
      // never analyzed (reltuples -1), or sized by a vacuum or an index build but never analyzed
      return muchChanged;
    }
    double moved = Math.abs(t.live() - t.analyzedRows());
    if (moved >= Math.max(MIN_CHANGES, SHARE * t.analyzedRows())) {
      return true;
    }
    return muchChanged && t.sinceAnalyze().compareTo(CHURN_INTERVAL) >= 0;
  }

  /** One pass; yields the tables analyzed. A pass still running when the next is due is not overlapped. */
  public Future<List<String>> pass() {
    if (running) {
      return Future.succeededFuture(List.of());
    }
    running = true;
    return pool.preparedQuery("""
            SELECT s.relname, s.n_mod_since_analyze, s.n_live_tup, c.reltuples::float8,
                   EXTRACT(EPOCH FROM now() - greatest(s.last_analyze, s.last_autoanalyze))::float8
            FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.schemaname = current_schema() AND s.relname = ANY($1) ORDER BY s.relname""")
        .execute(Tuple.of(tables.toArray(new String[0])))
        .compose(rows -> {
          List<String> due = new ArrayList<>();
          for (Row r : rows) {
            Double since = r.getDouble(4);
            TableStats t = new TableStats(r.getLong(1), r.getLong(2), r.getDouble(3),
                since == null ? null : Duration.ofMillis(Math.round(since * 1000)));
            if (stale(t)) {
              due.add(r.getString(0));
            }
          }
          return analyze(due, 0, new ArrayList<>());
        })
        .onFailure(e -> LOG.warning(Kv.event("db.analyze_failed", "error", String.valueOf(e.getMessage()))))
        .onComplete(ar -> running = false);
  }

  private Future<List<String>> analyze(List<String> due, int i, List<String> done) {
    if (i >= due.size()) {
      return Future.succeededFuture(done);
    }
    String table = due.get(i);
    long t0 = System.nanoTime();
    // the name comes from this class's own list, never from input; quoted all the same
    return pool.query("ANALYZE \"" + table.replace("\"", "\"\"") + "\"").execute().compose(x -> {
      done.add(table);
      LOG.info(Kv.event("db.analyzed", "table", table, "ms", (System.nanoTime() - t0) / 1_000_000));
      return analyze(due, i + 1, done);
    });
  }
}
