package io.fleetcast.node.store;

import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.net.IpLiteral;
import io.fleetcast.protocol.net.Subnet;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Keeps {@code agents.online/node_id/session_id/facts} current, in batches. Tags in the facts
 * are what the agent says about itself: they go to {@code reported_tags}, never to the trusted
 * {@code tags} that targeting uses. Connects and
 * facts are applied before disconnects, and a disconnect only applies while the row still
 * names that same session, so a late disconnect of an old socket cannot mark a reconnected
 * agent offline.
 */
public final class PresenceStore {

  static final String ONLINE_SQL = """
      INSERT INTO agents AS a (id, hostname, reported_tags, ips, subnets, facts, version, online, node_id, session_id,
                               last_seen, connected_at)
      SELECT u.id, u.facts->>'hostname',
             ARRAY(SELECT DISTINCT t FROM jsonb_array_elements_text(u.facts->'tags') t ORDER BY t),
             ARRAY(SELECT x::inet FROM jsonb_array_elements_text(u.facts->'ips') x),
             ARRAY(SELECT DISTINCT network(x::inet)::cidr FROM jsonb_array_elements_text(u.facts->'subnets') x),
             u.facts, u.version, true, $5, u.session_id, now(), u.connected_at
      FROM (SELECT id, session_id, facts::jsonb AS facts, version, connected_at
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $6::timestamptz[])
              AS x(id, session_id, facts, version, connected_at)) u
      ON CONFLICT (id) DO UPDATE SET
        hostname = EXCLUDED.hostname,
        -- self-reported: never merged into the trusted tags (enrollment token), which targeting uses
        reported_tags = EXCLUDED.reported_tags,
        ips = EXCLUDED.ips,
        subnets = EXCLUDED.subnets,
        facts = EXCLUDED.facts,
        version = EXCLUDED.version,
        online = true,
        node_id = EXCLUDED.node_id,
        session_id = EXCLUDED.session_id,
        last_seen = now(),
        connected_at = EXCLUDED.connected_at
      WHERE a.revoked_at IS NULL
        -- the same session, or a newer connection: an older one committing late must not win
        AND (a.session_id = EXCLUDED.session_id OR a.connected_at IS NULL OR a.connected_at <= EXCLUDED.connected_at)
      """;

  static final String OFFLINE_SQL = """
      UPDATE agents SET online = false, last_seen = now()
      FROM unnest($1::uuid[], $2::text[]) AS o(id, session_id)
      WHERE agents.id = o.id AND agents.session_id = o.session_id
      """;

  static final String TOUCH_SQL = """
      UPDATE agents SET last_seen = GREATEST(agents.last_seen, s.at)
      FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS s(id, session_id, at)
      WHERE agents.id = s.id AND agents.session_id = s.session_id AND agents.online
      """;

  /** A connected session last heard at {@code at}. */
  public record Seen(UUID agentId, String sessionId, java.time.Instant at) {}

  static final String CLEAR_NODE_SQL = "UPDATE agents SET online = false WHERE online AND node_id = $1";

  /** Only rows that still name the very session (a newer connection elsewhere wins) and lost their presence. */
  static final String RESTORE_SQL = """
      UPDATE agents a SET online = true, node_id = $3, last_seen = now()
      FROM unnest($1::uuid[], $2::text[]) AS s(id, session_id)
      WHERE a.id = s.id AND a.session_id = s.session_id AND a.revoked_at IS NULL
        AND NOT (a.online AND a.node_id IS NOT DISTINCT FROM $3)
      RETURNING a.id
      """;
  static final int RESTORE_CHUNK = 5_000;

  private final Pool pool;
  private final String nodeId;
  private final Consumer<Set<UUID>> onCameOnline;

  public PresenceStore(Pool pool, String nodeId, Consumer<Set<UUID>> onCameOnline) {
    this.pool = pool;
    this.nodeId = nodeId;
    this.onCameOnline = onCameOnline;
  }

  /**
   * Marks offline every agent whose row names this node. Run at start, before the agent port
   * opens: a node that just started holds no socket, so rows left online by its previous run
   * (crash, kill, a stop whose last batch was lost) are stale. Yields how many.
   */
  public Future<Integer> clearNode() {
    return pool.preparedQuery(CLEAR_NODE_SQL).execute(Tuple.of(nodeId)).map(r -> r.rowCount());
  }

  /**
   * Puts back the presence of sessions this node holds whose rows say otherwise (the other side
   * of a partition marked them offline, or a purge ran for this node). Rows already right are not
   * touched, and only the restored agents are announced as online, so a membership change does not
   * make every gateway look up every agent. Yields how many were restored.
   */
  public Future<Integer> restore(Map<UUID, String> sessionsByAgent) {
    List<Map.Entry<UUID, String>> all = new ArrayList<>(sessionsByAgent.entrySet());
    Future<Integer> chain = Future.succeededFuture(0);
    for (int from = 0; from < all.size(); from += RESTORE_CHUNK) {
      List<Map.Entry<UUID, String>> part = all.subList(from, Math.min(all.size(), from + RESTORE_CHUNK));
      chain = chain.compose(n -> restoreChunk(part).map(m -> n + m));
    }
    return chain;
  }

  private Future<Integer> restoreChunk(List<Map.Entry<UUID, String>> part) {
    UUID[] ids = new UUID[part.size()];
    String[] sessions = new String[part.size()];
    for (int i = 0; i < part.size(); i++) {
      ids[i] = part.get(i).getKey();
      sessions[i] = part.get(i).getValue();
    }
    return pool.preparedQuery(RESTORE_SQL).execute(Tuple.tuple().addValue(ids).addValue(sessions).addValue(nodeId))
        .map(rows -> {
          Set<UUID> restored = new java.util.HashSet<>();
          rows.forEach(r -> restored.add(r.getUUID(0)));
          if (!restored.isEmpty()) {
            onCameOnline.accept(restored);
          }
          return restored.size();
        });
  }

  public Future<List<Void>> write(List<PresenceEvent> events) {
    // the last online/facts event per agent wins; an agent cannot appear twice in one upsert
    Map<UUID, PresenceEvent> ups = new LinkedHashMap<>();
    Map<UUID, Boolean> connected = new LinkedHashMap<>();
    List<PresenceEvent> downs = new ArrayList<>();
    for (PresenceEvent e : events) {
      if (e.kind() == PresenceEvent.Kind.OFFLINE) {
        downs.add(e);
      } else {
        ups.put(e.agentId(), e);
        if (e.kind() == PresenceEvent.Kind.ONLINE) {
          connected.put(e.agentId(), true);
        }
      }
    }
    Future<Void> up = ups.isEmpty() ? Future.succeededFuture() : writeOnline(ups.values(), connected);
    return up.compose(v -> downs.isEmpty() ? Future.succeededFuture() : writeOffline(downs))
        .map(v -> {
          if (!connected.isEmpty()) {
            onCameOnline.accept(connected.keySet());
          }
          return Collections.nCopies(events.size(), (Void) null);
        });
  }

  private Future<Void> writeOnline(java.util.Collection<PresenceEvent> ups, Map<UUID, Boolean> connected) {
    int n = ups.size();
    UUID[] ids = new UUID[n];
    String[] sessions = new String[n];
    String[] facts = new String[n];
    String[] versions = new String[n];
    java.time.OffsetDateTime[] connectedAt = new java.time.OffsetDateTime[n];
    int i = 0;
    for (PresenceEvent e : ups) {
      ids[i] = e.agentId();
      sessions[i] = e.sessionId();
      facts[i] = storableFacts(e.facts()).encode();
      versions[i] = Text.storable(e.version() == null ? "" : e.version());
      connectedAt[i] = e.connectedAt().atOffset(java.time.ZoneOffset.UTC);
      i++;
    }
    return pool.preparedQuery(ONLINE_SQL)
        .execute(Tuple.tuple().addValue(ids).addValue(sessions).addValue(facts).addValue(versions).addValue(nodeId)
            .addValue(connectedAt))
        .mapEmpty();
  }

  private Future<Void> writeOffline(List<PresenceEvent> downs) {
    UUID[] ids = new UUID[downs.size()];
    String[] sessions = new String[downs.size()];
    for (int i = 0; i < downs.size(); i++) {
      ids[i] = downs.get(i).agentId();
      sessions[i] = downs.get(i).sessionId();
    }
    return pool.preparedQuery(OFFLINE_SQL).execute(Tuple.tuple().addValue(ids).addValue(sessions)).mapEmpty();
  }

  /** Moves {@code last_seen} of still-connected sessions forward; yields the rows changed. */
  public Future<Integer> touch(List<Seen> seen) {
    UUID[] ids = new UUID[seen.size()];
    String[] sessions = new String[seen.size()];
    java.time.OffsetDateTime[] at = new java.time.OffsetDateTime[seen.size()];
    for (int i = 0; i < seen.size(); i++) {
      ids[i] = seen.get(i).agentId();
      sessions[i] = seen.get(i).sessionId();
      at[i] = seen.get(i).at().atOffset(java.time.ZoneOffset.UTC);
    }
    return pool.preparedQuery(TOUCH_SQL).execute(Tuple.tuple().addValue(ids).addValue(sessions).addValue(at))
        .map(r -> r.rowCount());
  }

  /** Facts as stored: addresses that do not parse are dropped so that one agent cannot fail a batch. */
  static io.vertx.core.json.JsonObject storableFacts(Facts f) {
    Facts clean = new Facts(Text.storable(f.hostname()), Text.storable(f.os()), Text.storable(f.arch()),
        f.ips().stream().filter(IpLiteral::isPostgresInet).toList(),
        f.macs().stream().map(Text::storable).toList(),
        f.subnets().stream().filter(Subnet::isPostgresCidr).toList(),
        f.tags().stream().map(Text::storable).filter(t -> !t.isBlank() && t.length() <= 128).toList(),
        f.users().stream().map(Text::storable).toList());
    return clean.toJson();
  }
}
