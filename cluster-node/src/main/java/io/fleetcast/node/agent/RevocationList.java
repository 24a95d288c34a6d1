package io.fleetcast.node.agent;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agents whose credential was revoked, held in memory on every node: loaded at start,
 * updated at once by the cluster-wide revocation message, and re-read incrementally every
 * few seconds in case a message was lost (the event bus is best-effort).
 */
public final class RevocationList {
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final Pool pool;
  private OffsetDateTime since = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  public RevocationList(Pool pool) {
    this.pool = pool;
  }

  public boolean isRevoked(String agentId) {
    return revoked.contains(agentId);
  }

  public void add(String agentId) {
    revoked.add(agentId);
  }

  public int size() {
    return revoked.size();
  }

  /** Reads revocations newer than the last read. */
  public Future<Integer> refresh() {
    OffsetDateTime from = since;
    return pool.preparedQuery("SELECT id, revoked_at FROM agents WHERE revoked_at IS NOT NULL AND revoked_at >= $1")
        .execute(Tuple.of(from))
        .map(rows -> {
          int n = 0;
          for (Row r : rows) {
            if (revoked.add(r.getUUID(0).toString())) {
              n++;
            }
            OffsetDateTime at = r.getOffsetDateTime(1);
            if (at.isAfter(since)) {
              // re-read the last second again next time: rows committed late with an earlier stamp are not missed
              since = at.minusSeconds(1);
            }
          }
          return n;
        });
  }
}
