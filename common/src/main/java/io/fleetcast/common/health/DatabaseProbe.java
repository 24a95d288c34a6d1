package io.fleetcast.common.health;

import io.fleetcast.common.log.Kv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The database part of readiness: a {@code SELECT 1} every {@link #PERIOD_MILLIS}, bounded by a
 * timeout, whose last outcome is what {@code /health/ready} reads (so a readiness request costs
 * no query). At most one probe is outstanding: a Postgres that stopped answering pins one pooled
 * connection, not one per period; the probe reports down as soon as the timeout passes.
 */
public final class DatabaseProbe {
  private static final Logger LOG = Logger.getLogger(DatabaseProbe.class.getName());
  public static final long PERIOD_MILLIS = 2_000;

  private final Vertx vertx;
  private final Pool pool;
  private final long timeoutMillis;
  private volatile boolean up;
  private boolean inFlight;
  private long timer = -1;

  public DatabaseProbe(Vertx vertx, Pool pool, long timeoutMillis) {
    this.vertx = vertx;
    this.pool = pool;
    this.timeoutMillis = Math.max(1, timeoutMillis);
  }

  /** Probes once (the returned future says whether the database answered) and then every period. */
  public Future<Boolean> start() {
    timer = vertx.setPeriodic(PERIOD_MILLIS, id -> probe());
    return probe();
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  public boolean up() {
    return up;
  }

  Future<Boolean> probe() {
    if (inFlight) {
      return Future.succeededFuture(up); // the earlier probe's timeout already reported it
    }
    inFlight = true;
    Future<Boolean> answered = pool.query("SELECT 1").execute().map(r -> true);
    answered.onComplete(ar -> inFlight = false);
    return answered.timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(err -> Future.succeededFuture(false))
        .onSuccess(ok -> {
          if (ok != up) {
            if (ok) {
              LOG.info(Kv.event("health.database_up"));
            } else {
              LOG.warning(Kv.event("health.database_down", "timeoutMillis", timeoutMillis));
            }
          }
          up = ok;
        });
  }
}
