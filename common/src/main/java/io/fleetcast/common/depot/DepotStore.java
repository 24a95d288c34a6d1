package io.fleetcast.common.depot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Postgres side of depots: who they are, and which blob each holds in which state. */
public final class DepotStore {

  /** A depot as registered ({@code nodeId}: the cluster node it runs in, or null). */
  public record DepotRow(String name, String url, String site, List<String> subnets, boolean origin, String nodeId) {}

  /** Work for one depot: a blob to fetch ({@code wanted}) or to delete ({@code removing}). */
  public record Work(String sha256, String state) {}

  private final Pool pool;

  public DepotStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> register(DepotRow d) {
    return pool.preparedQuery("INSERT INTO depots (name, url, site, subnets, origin, node_id, seen_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (name) DO UPDATE SET url = EXCLUDED.url, "
            + "site = EXCLUDED.site, subnets = EXCLUDED.subnets, origin = EXCLUDED.origin, node_id = EXCLUDED.node_id, "
            + "seen_at = now()")
        .execute(Tuple.of(d.name(), d.url(), d.site(), new JsonArray(new ArrayList<>(d.subnets())), d.origin(),
            d.nodeId()))
        .mapEmpty();
  }

  public Future<List<Work>> work(String depot, int limit) {
    return pool.preparedQuery("SELECT sha256, state FROM depot_content WHERE depot = $1 AND state IN ('wanted', 'removing') "
            + "ORDER BY updated_at LIMIT $2")
        .execute(Tuple.of(depot, limit))
        .map(rows -> {
          List<Work> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Work(r.getString(0), r.getString(1))));
          return out;
        });
  }

  /** Whether the depot was asked to fetch the blob (or is fetching it): a miss that will soon be a hit. */
  public Future<Boolean> wants(String depot, String sha256) {
    return pool.preparedQuery("SELECT 1 FROM depot_content WHERE depot = $1 AND sha256 = $2 AND state IN ('wanted', 'fetching')")
        .execute(Tuple.of(depot, sha256)).map(rows -> rows.size() > 0);
  }

  /** Moves a row from one state to another; false when someone else moved it first. */
  public Future<Boolean> transition(String depot, String sha256, String from, String to, String detail) {
    return pool.preparedQuery("UPDATE depot_content SET state = $4, detail = $5, updated_at = now() "
            + "WHERE depot = $1 AND sha256 = $2 AND state = $3")
        .execute(Tuple.of(depot, sha256, from, to, detail)).map(r -> r.rowCount() == 1);
  }

  public Future<Void> forget(String depot, String sha256) {
    return pool.preparedQuery("DELETE FROM depot_content WHERE depot = $1 AND sha256 = $2 AND state = 'removing'")
        .execute(Tuple.of(depot, sha256)).mapEmpty();
  }

  /** Depots holding {@code sha256} ready, other than {@code except}: non-origin ones first (they spare the origin). */
  public Future<List<DepotRow>> holders(String sha256, String except) {
    return pool.preparedQuery("SELECT d.name, d.url, d.site, d.subnets, d.origin, d.node_id FROM depot_content c JOIN depots d ON d.name = c.depot "
            + "WHERE c.sha256 = $1 AND c.state = 'ready' AND d.name <> $2 ORDER BY d.origin, random()")
        .execute(Tuple.of(sha256, except))
        .map(rows -> {
          List<DepotRow> out = new ArrayList<>();
          rows.forEach(r -> out.add(row(r)));
          return out;
        });
  }

  public Future<List<DepotRow>> all() {
    return pool.query("SELECT name, url, site, subnets, origin, node_id FROM depots ORDER BY origin, site, name").execute()
        .map(rows -> {
          List<DepotRow> out = new ArrayList<>();
          rows.forEach(r -> out.add(row(r)));
          return out;
        });
  }

  static DepotRow row(Row r) {
    JsonArray subnets = (JsonArray) r.getValue(3);
    List<String> s = new ArrayList<>();
    if (subnets != null) {
      subnets.forEach(x -> s.add(String.valueOf(x)));
    }
    return new DepotRow(r.getString(0), r.getString(1), r.getString(2), s, r.getBoolean(4), r.getString(5));
  }
}
