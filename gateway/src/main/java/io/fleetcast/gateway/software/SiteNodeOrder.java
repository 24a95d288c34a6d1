package io.fleetcast.gateway.software;

import io.fleetcast.common.cluster.NodeInfo;
import io.fleetcast.common.depot.DepotStore;
import io.fleetcast.common.depot.DepotStore.DepotRow;
import io.fleetcast.gateway.agent.NodeOrder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * {@link SiteOrder} for the agent entry points: the depots (sites, subnets) are read at most
 * every {@link #REFRESH_MILLIS} (a reconnect storm must not read them per agent); a bootstrapping
 * agent's addresses come from its last facts (one indexed read).
 */
public final class SiteNodeOrder implements NodeOrder {
  static final long REFRESH_MILLIS = 10_000;

  private final Pool pool;
  private final DepotStore depots;
  private volatile List<DepotRow> cached;
  private volatile long cachedAt;

  public SiteNodeOrder(Pool pool, DepotStore depots) {
    this.pool = pool;
    this.depots = depots;
  }

  @Override
  public Future<List<NodeInfo>> order(String agentId, List<String> ips, List<NodeInfo> bestFirst) {
    if (bestFirst.size() < 2) {
      return Future.succeededFuture(bestFirst);
    }
    return depots().compose(d -> d.stream().noneMatch(x -> !x.subnets().isEmpty()) ? Future.succeededFuture(bestFirst)
        : addresses(agentId, ips).map(a -> SiteOrder.sameSiteFirst(SiteOrder.siteOf(a, d), bestFirst, d)));
  }

  private Future<List<DepotRow>> depots() {
    long now = System.nanoTime() / 1_000_000;
    List<DepotRow> c = cached;
    if (c != null && now - cachedAt < REFRESH_MILLIS) {
      return Future.succeededFuture(c);
    }
    return depots.all().map(d -> {
      cachedAt = now;
      cached = d;
      return d;
    });
  }

  private Future<List<String>> addresses(String agentId, List<String> ips) {
    if (!ips.isEmpty() || agentId == null) {
      return Future.succeededFuture(ips);
    }
    UUID id;
    try {
      id = UUID.fromString(agentId);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery("SELECT facts->'ips' FROM agents WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0 || !(rows.iterator().next().getValue(0) instanceof JsonArray a)) {
        return List.<String>of();
      }
      return a.stream().filter(String.class::isInstance).map(String.class::cast).limit(64).toList();
    });
  }
}
