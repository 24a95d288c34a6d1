package io.fleetcast.gateway.wake;

import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.common.rollout.SqlStates;
import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.common.rollout.TargetTransitions;
import io.fleetcast.protocol.wake.MacAddress;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What Wake-on-LAN reads from and writes to Postgres: agents' MACs and subnets, and rollout targets' waking
 * state (the statements that move a target to and from waking are in {@link TargetTransitions}).
 */
public final class WakeStore {
  /** Facts are agent input: bound what one agent contributes to a plan. */
  static final int MAX_MACS = 8;
  static final int MAX_SUBNETS = 16;

  /** A rollout target to wake, with its position (for paging). */
  public record RolloutTarget(WakeTarget target, int ordinal) {}

  /** A waking target that went back to pending, and why. */
  public record Released(UUID rolloutId, UUID agentId, boolean connected) {}

  private final Pool pool;

  public WakeStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** Enrolled, non-revoked agents among {@code ids}, as wake targets; unknown ids are absent. */
  public Future<Map<String, WakeTarget>> agents(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery("SELECT id, COALESCE(facts->'macs', '[]'::jsonb)::text, subnets::text[] FROM agents "
            + "WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL")
        .execute(Tuple.tuple().addValue(ids.toArray(new UUID[0])))
        .map(rows -> {
          Map<String, WakeTarget> out = new HashMap<>();
          for (Row r : rows) {
            String id = r.getUUID(0).toString();
            out.put(id, WakeTarget.agent(id, macs(r.getString(1)), subnets(r.getArrayOfStrings(2))));
          }
          return out;
        });
  }

  /**
   * The subnets of enrolled agents whose facts report each MAC (for a raw MAC given without a
   * subnet). MACs are compared as 12 hex digits whatever notation the agent used. This reads
   * the agents table (no index on facts): it only runs for MACs given without a subnet.
   */
  public Future<Map<MacAddress, Set<Subnet>>> subnetsOfMacs(Collection<MacAddress> macs) {
    if (macs.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Map<String, MacAddress> byHex = new HashMap<>();
    macs.forEach(m -> byHex.put(m.toString().replace(":", ""), m));
    return pool.preparedQuery("""
            SELECT m.hex, a.subnets::text[] FROM agents a,
              LATERAL (SELECT DISTINCT lower(regexp_replace(x, '[^0-9A-Fa-f]', '', 'g')) AS hex
                       FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(a.facts->'macs') = 'array'
                                                           THEN a.facts->'macs' ELSE '[]'::jsonb END) x) m
            WHERE a.revoked_at IS NULL AND m.hex = ANY($1::text[])""")
        .execute(Tuple.tuple().addValue(byHex.keySet().toArray(new String[0])))
        .map(rows -> {
          Map<MacAddress, Set<Subnet>> out = new HashMap<>();
          for (Row r : rows) {
            out.computeIfAbsent(byHex.get(r.getString(0)), k -> new LinkedHashSet<>())
                .addAll(subnets(r.getArrayOfStrings(1)));
          }
          return out;
        });
  }

  // ---- rollouts

  /** Released, pending targets of the rollout's current wave whose agent is offline, after {@code afterOrdinal}. */
  public Future<List<RolloutTarget>> offlineTargetsOfCurrentWave(UUID rolloutId, int afterOrdinal, int limit) {
    return pool.preparedQuery(SqlStates.targets("""
            SELECT t.agent_id, t.ordinal, COALESCE(a.facts->'macs', '[]'::jsonb)::text, a.subnets::text[]
            FROM rollout_targets t
            JOIN rollouts r ON r.id = t.rollout_id
            JOIN agents a ON a.id = t.agent_id
            WHERE t.rollout_id = $1 AND t.state = {pending} AND t.wave = r.current_wave AND t.ordinal > $2
              AND NOT a.online AND a.revoked_at IS NULL
            ORDER BY t.ordinal LIMIT $3"""))
        .execute(Tuple.of(rolloutId, afterOrdinal, limit))
        .map(rows -> {
          List<RolloutTarget> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new RolloutTarget(WakeTarget.agent(r.getUUID(0).toString(), macs(r.getString(2)),
                subnets(r.getArrayOfStrings(3))), r.getInteger(1)));
          }
          return out;
        });
  }

  /** Marks the targets {@code waking} (still pending, agent still offline); yields the agents marked. */
  public Future<Set<String>> markWaking(UUID rolloutId, Collection<String> agents) {
    if (agents.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(TargetTransitions.MARK_WAKING)
        .execute(Tuple.tuple().addValue(rolloutId).addValue(uuids(agents)))
        .map(rows -> {
          Set<String> out = new HashSet<>();
          rows.forEach(r -> out.add(r.getUUID(0).toString()));
          return out;
        });
  }

  /** Records on still-pending targets why they could not be woken (shown in the targets listing). */
  public Future<Void> noteNotWoken(UUID rolloutId, List<String> agents, List<String> reasons) {
    if (agents.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(SqlStates.targets("""
            UPDATE rollout_targets t SET reason = u.why
            FROM unnest($2::uuid[], $3::text[]) AS u(id, why)
            WHERE t.rollout_id = $1 AND t.agent_id = u.id AND t.state = {pending}"""))
        .execute(Tuple.tuple().addValue(rolloutId).addValue(uuids(agents)).addValue(reasons.toArray(new String[0])))
        .mapEmpty();
  }

  /** These agents connected: their waking targets in rollouts {@code owner} drives go back to pending. */
  public Future<List<Released>> connected(Collection<UUID> agents, String owner) {
    return pool.preparedQuery(TargetTransitions.WAKE_CONNECTED)
        .execute(Tuple.tuple().addValue(agents.toArray(new UUID[0])).addValue(owner))
        .map(rows -> {
          List<Released> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Released(r.getUUID(0), r.getUUID(1), true)));
          return out;
        });
  }

  /**
   * Waking targets of rollouts {@code owner} drives whose agent is online (a connect raced with
   * the marking) or that have waited longer than {@code timeoutSeconds}: back to pending.
   */
  public Future<List<Released>> sweep(String owner, int timeoutSeconds) {
    return pool.preparedQuery(TargetTransitions.WAKE_SWEEP)
        .execute(Tuple.of(owner, timeoutSeconds))
        .map(rows -> {
          List<Released> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Released(r.getUUID(0), r.getUUID(1), r.getBoolean(2))));
          return out;
        });
  }

  /** Whether any rollout {@code owner} drives has a waking target. */
  public Future<Boolean> anyWaking(String owner) {
    return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM rollout_targets t JOIN rollouts r ON r.id = t.rollout_id "
            + "WHERE r.owner = $1 AND t.state = " + TargetState.WAKING.sql() + ")")
        .execute(Tuple.of(owner))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  // ---- facts

  static List<MacAddress> macs(String json) {
    Set<MacAddress> out = new LinkedHashSet<>();
    try {
      for (Object o : new JsonArray(json == null ? "[]" : json)) {
        if (out.size() >= MAX_MACS) {
          break;
        }
        try {
          out.add(MacAddress.parse(String.valueOf(o)));
        } catch (IllegalArgumentException e) {
          // not a MAC: skipped
        }
      }
    } catch (RuntimeException e) {
      // facts.macs not an array of strings: no MACs
    }
    return List.copyOf(out);
  }

  static List<Subnet> subnets(String[] cidrs) {
    Set<Subnet> out = new LinkedHashSet<>();
    if (cidrs != null) {
      for (String c : cidrs) {
        if (out.size() >= MAX_SUBNETS) {
          break;
        }
        try {
          out.add(Subnet.parse(c));
        } catch (IllegalArgumentException e) {
          // skipped
        }
      }
    }
    return List.copyOf(out);
  }

  private static UUID[] uuids(Collection<String> ids) {
    return ids.stream().map(UUID::fromString).toArray(UUID[]::new);
  }
}
