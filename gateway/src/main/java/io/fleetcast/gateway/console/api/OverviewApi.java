package io.fleetcast.gateway.console.api;

import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.RouteTable;
import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.common.rollout.SqlStates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

/**
 * {@code GET /api/v1/overview}: the fleet at a glance in one call of a few aggregate queries
 * (never a row per agent): connected agents per node, connects and disconnects per minute over
 * the last hour, rollouts by state, recent halts and failures.
 */
public final class OverviewApi implements ApiResource {
  /** The latest rollouts (of the last 200) that halted or have failed targets, with their failure count. */
  private static final String TROUBLES = SqlStates.targets("""
      SELECT r.id, r.name, r.state, r.state_reason, r.created_at,
             (SELECT count(*)::int FROM rollout_targets t WHERE t.rollout_id = r.id
                AND t.state IN {failures}) AS failures
      FROM (SELECT * FROM rollouts ORDER BY created_at DESC LIMIT 200) r
      WHERE r.state = """ + RolloutState.HALTED.sql() + """
       OR EXISTS (SELECT 1 FROM rollout_targets t WHERE t.rollout_id = r.id
                AND t.state IN {failures})
      ORDER BY r.created_at DESC LIMIT 10""");

  private final Pool pool;

  public OverviewApi(Pool pool) {
    this.pool = pool;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.get("/api/v1/overview", Role.VIEWER, ctx -> Http.reply(ctx, 200, overview()));
  }

  Future<JsonObject> overview() {
    Future<JsonObject> agents = pool.query("""
        SELECT node_id, count(*)::int FROM agents WHERE online AND revoked_at IS NULL GROUP BY node_id ORDER BY node_id""")
        .execute().compose(perNode -> pool.query("""
            SELECT count(*) FILTER (WHERE online)::int, count(*) FILTER (WHERE NOT online)::int
            FROM agents WHERE revoked_at IS NULL""").execute().map(totals -> {
          JsonArray nodes = new JsonArray();
          for (Row r : perNode) {
            nodes.add(new JsonObject().put("nodeId", r.getString(0)).put("agents", r.getInteger(1)));
          }
          Row t = totals.iterator().next();
          return new JsonObject().put("perNode", nodes).put("online", t.getInteger(0)).put("offline", t.getInteger(1));
        }));
    // an agent row keeps its latest connect and its latest disconnect (last_seen of an offline
    // agent): the chart counts those, which is exact unless one agent flaps within the hour
    Future<JsonArray> churn = pool.query("""
        SELECT m, sum(c)::int, sum(d)::int FROM (
          SELECT date_trunc('minute', connected_at) m, 1 c, 0 d FROM agents
            WHERE connected_at > now() - interval '1 hour' AND revoked_at IS NULL
          UNION ALL
          SELECT date_trunc('minute', last_seen), 0, 1 FROM agents
            WHERE NOT online AND last_seen > now() - interval '1 hour' AND revoked_at IS NULL) x
        GROUP BY m ORDER BY m""").execute().map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("minute", r.getOffsetDateTime(0).toInstant().toString())
                .put("connects", r.getInteger(1)).put("disconnects", r.getInteger(2)));
          }
          return out;
        });
    Future<JsonObject> byState = pool.query("SELECT state, count(*)::int FROM rollouts GROUP BY state").execute()
        .map(rows -> {
          JsonObject o = new JsonObject();
          rows.forEach(r -> o.put(r.getString(0), r.getInteger(1)));
          return o;
        });
    Future<JsonArray> troubles = pool.query(TROUBLES).execute().map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getUUID(0).toString()).put("name", r.getString(1))
                .put("state", r.getString(2)).put("reason", r.getString(3))
                .put("createdAt", r.getOffsetDateTime(4).toInstant().toString()).put("failures", r.getInteger(5)));
          }
          return out;
        });
    return Future.all(agents, churn, byState, troubles).map(all -> new JsonObject()
        .put("agents", agents.result()).put("churn", churn.result())
        .put("rolloutsByState", byState.result()).put("recentTrouble", troubles.result()));
  }
}
