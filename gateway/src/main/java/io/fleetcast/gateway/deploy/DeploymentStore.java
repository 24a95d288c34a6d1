package io.fleetcast.gateway.deploy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Deployments and their hosts in Postgres. Every state change is a compare-and-set on the
 * host's current state (the moves of {@link HostState}), so several gateways can run jobs:
 * claiming scheduled hosts uses {@code FOR UPDATE SKIP LOCKED}.
 */
public final class DeploymentStore {

  /** A host claimed for installing, with what its job says about how. */
  public record Claimed(UUID jobId, String nameKey, DiscoveredHost host, int attempt, JsonObject plan,
      String sealedCredentials, List<String> tags, String createdBy) {}

  private final Pool pool;

  public DeploymentStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  public Future<Void> insertJob(SqlClient tx, UUID id, String name, String source, List<String> tags,
      List<DiscoveredHost> hosts, String createdBy) {
    String[] keys = new String[hosts.size()];
    String[] names = new String[hosts.size()];
    String[] ips = new String[hosts.size()];
    String[] sources = new String[hosts.size()];
    for (int i = 0; i < hosts.size(); i++) {
      keys[i] = hosts.get(i).key();
      names[i] = hosts.get(i).name();
      ips[i] = hosts.get(i).ip();
      sources[i] = hosts.get(i).source();
    }
    return tx.preparedQuery("INSERT INTO deployments (id, name, state, source, tags, created_by) "
            + "VALUES ($1, $2, 'open', $3, $4, $5)")
        .execute(Tuple.of(id, name, source, tags.toArray(new String[0]), createdBy))
        .compose(r -> tx.preparedQuery("INSERT INTO deployment_hosts (deployment_id, name_key, name, ip, source) "
                + "SELECT $1, k, n, i::inet, s FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(k, n, i, s) "
                + "ON CONFLICT DO NOTHING")
            .execute(Tuple.of(id, keys, names, ips, sources)))
        .mapEmpty();
  }

  /**
   * Hosts of a job that already have an enrolled agent (same host name, short or fully
   * qualified, case-insensitive, or one of its addresses) become {@code withAgent}.
   */
  public Future<Integer> matchAgents(UUID jobId) {
    return pool.preparedQuery("""
            UPDATE deployment_hosts h SET state = 'withAgent', agent_id = m.agent_id, step = NULL, updated_at = now()
            FROM (SELECT DISTINCT ON (h2.name_key) h2.name_key, a.id AS agent_id
                  FROM deployment_hosts h2 JOIN agents a ON a.revoked_at IS NULL
                   AND (lower(a.hostname) = h2.name_key OR split_part(lower(a.hostname), '.', 1) = h2.name_key
                        OR lower(a.hostname) = split_part(h2.name_key, '.', 1) OR h2.ip = ANY (a.ips))
                  WHERE h2.deployment_id = $1 AND h2.state IN ('discovered', 'scheduled', 'failed')
                  ORDER BY h2.name_key, a.enrolled_at DESC) m
            WHERE h.deployment_id = $1 AND h.name_key = m.name_key AND h.state IN ('discovered', 'scheduled', 'failed')""")
        .execute(Tuple.of(jobId)).map(r -> r.rowCount());
  }

  /** Stores the plan and sealed credentials and moves the hosts in {@code from} to scheduled; returns how many. */
  public Future<Integer> schedule(UUID jobId, JsonObject plan, String sealed, JsonObject credentialsInfo,
      HostState from) {
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE deployments SET plan = COALESCE($2, plan), "
                + "credentials = COALESCE($3, credentials), credentials_info = COALESCE($4, credentials_info) "
                + "WHERE id = $1 AND state = 'open' AND COALESCE($3, credentials) IS NOT NULL")
            .execute(Tuple.of(jobId, plan, sealed, credentialsInfo))
            .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(-1)
                : tx.preparedQuery("UPDATE deployment_hosts SET state = 'scheduled', attempts = 0, not_before = now(), "
                        + "step = NULL, error_type = NULL, error_detail = NULL, exit_code = NULL, output_tail = NULL, "
                        + "updated_at = now() WHERE deployment_id = $1 AND state = $2")
                    .execute(Tuple.of(jobId, from.wire())).map(x -> x.rowCount())));
  }

  /** Cancels a job: nothing more is claimed, scheduled hosts go back to discovered (installing ones finish). */
  public Future<Boolean> cancel(UUID jobId) {
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE deployments SET state = 'cancelled' "
            + "WHERE id = $1 AND state = 'open'").execute(Tuple.of(jobId))
        .compose(r -> tx.preparedQuery("UPDATE deployment_hosts SET state = 'discovered', updated_at = now() "
                + "WHERE deployment_id = $1 AND state = 'scheduled'").execute(Tuple.of(jobId))
            .map(x -> r.rowCount() == 1)));
  }

  /** Claims up to {@code n} due scheduled hosts of open jobs (scheduled -> installing). */
  public Future<List<Claimed>> claim(int n) {
    return pool.preparedQuery("""
            UPDATE deployment_hosts h SET state = 'installing', attempts = h.attempts + 1, step = NULL, updated_at = now()
            FROM (SELECT h2.deployment_id, h2.name_key, d.plan, d.credentials, d.tags, d.created_by
                  FROM deployment_hosts h2 JOIN deployments d ON d.id = h2.deployment_id AND d.state = 'open'
                  WHERE h2.state = 'scheduled' AND (h2.not_before IS NULL OR h2.not_before <= now())
                  ORDER BY h2.not_before NULLS FIRST LIMIT $1 FOR UPDATE OF h2 SKIP LOCKED) c
            WHERE h.deployment_id = c.deployment_id AND h.name_key = c.name_key AND h.state = 'scheduled'
            RETURNING h.deployment_id, h.name_key, h.name, host(h.ip), h.source, h.attempts, c.plan, c.credentials,
                      c.tags, c.created_by""")
        .execute(Tuple.of(n)).map(rows -> {
          List<Claimed> out = new ArrayList<>();
          for (Row r : rows) {
            String[] tags = r.getArrayOfStrings(8);
            out.add(new Claimed(r.getUUID(0), r.getString(1), new DiscoveredHost(r.getString(2), r.getString(3),
                r.getString(4)), r.getInteger(5), r.getJsonObject(6), r.getString(7),
                tags == null ? List.of() : List.of(tags), r.getString(9)));
          }
          return out;
        });
  }

  public Future<Void> step(UUID jobId, String key, InstallStep step) {
    return pool.preparedQuery("UPDATE deployment_hosts SET step = $3, updated_at = now() "
            + "WHERE deployment_id = $1 AND name_key = $2 AND state = 'installing'")
        .execute(Tuple.of(jobId, key, step.name().toLowerCase())).mapEmpty();
  }

  public Future<Void> tokenIssued(UUID jobId, String key, UUID tokenId) {
    return pool.preparedQuery("UPDATE deployment_hosts SET enrollment_token_id = $3 "
            + "WHERE deployment_id = $1 AND name_key = $2").execute(Tuple.of(jobId, key, tokenId)).mapEmpty();
  }

  /** installing -> withAgent. */
  public Future<Void> succeeded(UUID jobId, String key, UUID agentId) {
    return pool.preparedQuery("UPDATE deployment_hosts SET state = 'withAgent', agent_id = $3, step = NULL, "
            + "error_type = NULL, error_detail = NULL, exit_code = NULL, output_tail = NULL, updated_at = now() "
            + "WHERE deployment_id = $1 AND name_key = $2 AND state = 'installing'")
        .execute(Tuple.of(jobId, key, agentId)).mapEmpty();
  }

  /** installing -> failed with one error type; or back to scheduled after {@code retryIn} when given. */
  public Future<Void> failed(UUID jobId, String key, DeployFailure f, Duration retryIn) {
    String state = retryIn == null ? HostState.FAILED.wire() : HostState.SCHEDULED.wire();
    return pool.preparedQuery("UPDATE deployment_hosts SET state = $3, error_type = $4, error_detail = $5, "
            + "exit_code = $6, output_tail = $7, not_before = now() + make_interval(secs => $8), updated_at = now() "
            + "WHERE deployment_id = $1 AND name_key = $2 AND state = 'installing'")
        .execute(Tuple.tuple().addValue(jobId).addValue(key).addValue(state).addValue(f.type().wire())
            .addValue(f.detail()).addValue(f.exitCode()).addValue(f.outputTail())
            .addValue(retryIn == null ? 0.0 : retryIn.toMillis() / 1000.0))
        .mapEmpty();
  }

  /**
   * Hosts left {@code installing} by a gateway that died (nothing touched them for longer than
   * any install can take) go back to scheduled; their next attempt starts from the beginning.
   */
  public Future<Integer> requeueStale(Duration olderThan) {
    return pool.preparedQuery("UPDATE deployment_hosts SET state = 'scheduled', not_before = now(), step = NULL, "
            + "error_type = 'unknown', error_detail = 'the gateway running this install stopped; scheduled again', "
            + "updated_at = now() WHERE state = 'installing' AND updated_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) olderThan.toSeconds())).map(r -> r.rowCount());
  }

  /** Whether the job exists. */
  public Future<Boolean> exists(UUID id) {
    return pool.preparedQuery("SELECT 1 FROM deployments WHERE id = $1").execute(Tuple.of(id)).map(r -> r.size() > 0);
  }

  /** The agent that enrolled with this token and connected at least once, if any. */
  public Future<UUID> agentOfToken(UUID tokenId) {
    return pool.preparedQuery("SELECT id FROM agents WHERE enrollment_token_id = $1 AND connected_at IS NOT NULL")
        .execute(Tuple.of(tokenId)).map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
  }

  public Future<Map<String, Integer>> countByState() {
    return pool.query("SELECT state, count(*) FROM deployment_hosts GROUP BY state").execute().map(rows -> {
      Map<String, Integer> m = new LinkedHashMap<>();
      rows.forEach(r -> m.put(r.getString(0), r.getInteger(1)));
      return m;
    });
  }

  public Future<JsonObject> get(UUID id, String state) {
    return pool.preparedQuery("SELECT id, name, state, source, tags, plan, credentials_info, created_by, created_at "
            + "FROM deployments WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(null);
          }
          JsonObject job = jobJson(rows.iterator().next());
          return pool.preparedQuery("SELECT name, host(ip), source, state, step, attempts, error_type, error_detail, "
                  + "exit_code, output_tail, agent_id, updated_at FROM deployment_hosts WHERE deployment_id = $1 "
                  + "AND ($2::text IS NULL OR state = $2) ORDER BY name_key LIMIT 100000")
              .execute(Tuple.of(id, state)).map(hosts -> {
                JsonArray arr = new JsonArray();
                JsonObject counts = new JsonObject();
                for (HostState s : HostState.values()) {
                  counts.put(s.wire(), 0);
                }
                for (Row h : hosts) {
                  arr.add(hostJson(h));
                  counts.put(h.getString(3), counts.getInteger(h.getString(3), 0) + 1);
                }
                return job.put("counts", counts).put("hosts", arr);
              });
        });
  }

  public Future<JsonArray> list(int limit) {
    return pool.preparedQuery("""
            SELECT d.id, d.name, d.state, d.source, d.tags, d.plan, d.credentials_info, d.created_by, d.created_at,
                   (SELECT jsonb_object_agg(state, n) FROM (SELECT state, count(*) n FROM deployment_hosts
                    WHERE deployment_id = d.id GROUP BY state) c)
            FROM deployments d ORDER BY d.created_at DESC LIMIT $1""")
        .execute(Tuple.of(limit)).map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            JsonObject counts = new JsonObject();
            JsonObject raw = r.getJsonObject(9) == null ? new JsonObject() : r.getJsonObject(9);
            for (HostState s : HostState.values()) {
              counts.put(s.wire(), raw.getInteger(s.wire(), 0));
            }
            out.add(jobJson(r).put("counts", counts));
          }
          return out;
        });
  }

  private static JsonObject jobJson(Row r) {
    String[] tags = r.getArrayOfStrings(4);
    return new JsonObject().put("id", r.getUUID(0).toString()).put("name", r.getString(1)).put("state", r.getString(2))
        .put("source", r.getString(3)).put("tags", new JsonArray(tags == null ? List.of() : List.of(tags)))
        .put("plan", r.getJsonObject(5)).put("credentials", r.getJsonObject(6)).put("createdBy", r.getString(7))
        .put("createdAt", r.getOffsetDateTime(8).toInstant().toString());
  }

  private static JsonObject hostJson(Row h) {
    JsonObject j = new JsonObject().put("name", h.getString(0)).put("ip", h.getString(1)).put("source", h.getString(2))
        .put("state", h.getString(3)).put("step", h.getString(4)).put("attempts", h.getInteger(5))
        .put("agentId", h.getUUID(10) == null ? null : h.getUUID(10).toString())
        .put("updatedAt", h.getOffsetDateTime(11).toInstant().toString());
    String type = h.getString(6);
    if (type != null) {
      j.put("error", new DeployFailure(DeployError.fromWire(type).orElse(DeployError.UNKNOWN), h.getString(7),
          h.getInteger(8), h.getString(9)).toJson());
    }
    return j;
  }
}
