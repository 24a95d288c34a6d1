package io.fleetcast.load.scenario;

import io.fleetcast.common.db.PgUrl;
import io.fleetcast.load.runner.Db;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The yardstick of the ingest goal: how many rows per second the same Postgres commits from
 * plain multi-row INSERTs into a table shaped like {@code results} (same columns and indexes,
 * WAL-logged, one commit per statement), over a few connections in parallel. No checks, no
 * target update: what results ingest is compared with.
 */
final class RawInsertRate {
  private static final String TABLE = "load_raw_results";

  private RawInsertRate() {}

  static JsonObject measure(PgUrl url, int connections, int rowsPerStatement, double seconds) {
    try (Db setup = new Db(url)) {
      setup.exec("DROP TABLE IF EXISTS " + TABLE);
      setup.exec("CREATE TABLE " + TABLE + " (LIKE results INCLUDING ALL)");
      AtomicLong rows = new AtomicLong();
      long end = System.nanoTime() + (long) (seconds * 1e9);
      UUID rollout = UUID.randomUUID();
      List<Thread> threads = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int c = 0; c < connections; c++) {
        Thread t = new Thread(() -> {
          try (Db db = new Db(url)) {
            while (System.nanoTime() < end) {
              UUID[] tasks = new UUID[rowsPerStatement];
              UUID[] agents = new UUID[rowsPerStatement];
              for (int i = 0; i < rowsPerStatement; i++) {
                tasks[i] = UUID.randomUUID();
                agents[i] = UUID.randomUUID();
              }
              rows.addAndGet(db.exec("INSERT INTO " + TABLE + " (task_id, agent_id, rollout_id, step, status, "
                  + "exit_code, output, started_at, finished_at, node_id) SELECT x.t, x.a, ?::uuid, 0, 'succeeded', 0, "
                  + "'', now(), now(), 'raw' FROM unnest(?::uuid[], ?::uuid[]) AS x(t, a)", rollout.toString(), tasks, agents));
            }
          }
        }, "raw-insert-" + c);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      setup.exec("DROP TABLE " + TABLE);
      return new JsonObject().put("rowsPerSecond", Math.round(rows.get() / wall)).put("rows", rows.get())
          .put("seconds", Math.round(wall * 10) / 10.0).put("connections", connections)
          .put("rowsPerStatement", rowsPerStatement);
    }
  }
}
