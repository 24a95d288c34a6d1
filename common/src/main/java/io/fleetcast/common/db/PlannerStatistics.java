package io.fleetcast.common.db;

import io.fleetcast.common.log.Kv;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Keeps the planner's statistics of the busiest tables current, as autovacuum's analyze would,
 * for installations where autovacuum is off or behind. A connect storm flips every agent's
 * {@code online}; with statistics from before it (or none: a table never analyzed) Postgres
 * chose whole-table sorts over index walks for target resolution (measured on a server with
 * autovacuum off: every chunk of a 100,000-target rollout sorted all agents). A pass reads the
 * change counters and runs {@code ANALYZE} on each table changed by more than a tenth of its rows
 * since its last analyze, one table at a time, off every request path.
 */
public final class PlannerStatistics {
  private static final Logger LOG = Logger.getLogger(PlannerStatistics.class.getName());
  /** Fewer changed rows than this never trigger an analyze (autovacuum's threshold is 50). */
  static final long MIN_CHANGES = 1000;
  /** A table changed by this share of its rows is analyzed (autovacuum's analyze scale factor). */
  static final double SHARE = 0.1;

  private final Pool pool;
  private final List<String> tables;
  private boolean running;

  public PlannerStatistics(Pool pool, List<String> tables) {
    this.pool = pool;
    this.tables = List.copyOf(tables);
  }

  /** Whether a table with {@code live} rows and {@code changed} rows modified since its last analyze needs one. */
  static boolean stale(long changed, long live) {
    return changed >= MIN_CHANGES && changed >= SHARE * Math.max(0, live);
  }

  /** One pass; yields the tables analyzed. A pass still running when the next is due is not overlapped. */
  public Future<List<String>> pass() {
    if (running) {
      return Future.succeededFuture(List.of());
    }
    running = true;
    return pool.preparedQuery("SELECT relname, n_mod_since_analyze, n_live_tup FROM pg_stat_user_tables "
            + "WHERE schemaname = current_schema() AND relname = ANY($1) ORDER BY relname")
        .execute(Tuple.of(tables.toArray(new String[0])))
        .compose(rows -> {
          List<String> due = new ArrayList<>();
          for (Row r : rows) {
            if (stale(r.getLong(1), r.getLong(2))) {
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
