package io.fleetcast.gateway.rollout;

/** SQL shared by the target statements of {@link RolloutStore}: liveness of an agent's node, target resolution. */
final class TargetSql {
  private TargetSql() {}

  /**
   * SQL true (never null) when agent {@code a} is online on a live node ($n: the live node ids,
   * or NULL when unknown, which trusts {@code online} alone).
   */
  static String heldByLiveNode(int param) {
    // padded: text blocks strip the trailing space of the SQL this is appended to
    return " COALESCE(a.online AND ($" + param + "::text[] IS NULL OR a.node_id = ANY($" + param + "::text[])), false) ";
  }

  /**
   * Resolves one chunk of targets: up to $10 agents the selector names (enrolled by the rollout's resolve_until), by id
   * after the cursor $9. Phase $8 = 0 takes only agents online on a live node (online first);
   * phase 1 every agent not yet a target. The first $12 of the chunk join wave 0, and of those, up
   * to $13 whose agent is online on a live node are inserted as dispatched (claimed: their frame
   * may leave once this commits, with no second write). Ordinals continue from $11. Idempotent:
   * a target already resolved is left alone. Yields each inserted target (agent, state, node) and
   * one last row with the chunk's last agent id and how many agents it picked.
   */
  static final String RESOLVE_CHUNK = """
      WITH pick AS (
        SELECT a.id, a.node_id, """ + heldByLiveNode(7) + """
       AS live
        FROM agents a
        WHERE """ + selector(2, 6) + """

          AND a.enrolled_at <= (SELECT r.resolve_until FROM rollouts r WHERE r.id = $1) AND ($9::uuid IS NULL OR a.id > $9::uuid)
          AND ($8::int = 1 OR """ + heldByLiveNode(7) + """
      )
          AND ($8::int = 0 OR NOT EXISTS (SELECT 1 FROM rollout_targets x WHERE x.rollout_id = $1 AND x.agent_id = a.id))
        ORDER BY a.id LIMIT $10
      ), num AS (
        SELECT p.*, row_number() OVER (ORDER BY p.id) AS rn,
               row_number() OVER (PARTITION BY p.live ORDER BY p.id) AS lrn
        FROM pick p
      ), ins AS (
        INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, wave, state, dispatched_at, attempts)
        SELECT $1, n.id, $11::int + n.rn::int - 1, CASE WHEN n.rn <= $12 THEN 0 END,
               CASE WHEN n.rn <= $12 AND n.live AND n.lrn <= $13 THEN 'dispatched' ELSE 'pending' END,
               CASE WHEN n.rn <= $12 AND n.live AND n.lrn <= $13 THEN now() END,
               CASE WHEN n.rn <= $12 AND n.live AND n.lrn <= $13 THEN 1 ELSE 0 END
        FROM num n
        ON CONFLICT (rollout_id, agent_id) DO NOTHING
        RETURNING agent_id, state
      )
      SELECT ins.agent_id, ins.state, num.node_id, NULL::uuid AS last, NULL::int AS picked
      FROM ins JOIN num ON num.id = ins.agent_id
      UNION ALL
      SELECT NULL::uuid, NULL::text, NULL::text, (SELECT id FROM pick ORDER BY id DESC LIMIT 1), (SELECT count(*)::int FROM pick)""";

  /** How many agents the selector names (enrolled by rollout $6's resolve_until): what a created rollout answers. */
  static final String COUNT_TARGETS = "SELECT count(*)::int FROM agents a WHERE " + selector(1, 5)
      + " AND a.enrolled_at <= (SELECT r.resolve_until FROM rollouts r WHERE r.id = $6)";

  /**
   * Which agents a target selector names (alias {@code a}): parameters {@code first} to {@code first + 3} are
   * all, agent ids, tags, subnets; {@code reported} the opt-in self-reported tags. Trusted tags (the
   * enrollment token's or an admin's) match {@code tags}; what agents report only {@code reported}.
   * Shared by resolution and the count preview.
   */
  static String selector(int first, int reported) {
    return " " + """
        a.revoked_at IS NULL AND (
          $A::boolean
          OR a.id = ANY($B::uuid[])
          OR ((cardinality($C::text[]) > 0 OR cardinality($D::text[]) > 0 OR cardinality($R::text[]) > 0)
              AND a.tags @> $C::text[]
              AND a.reported_tags @> $R::text[]
              AND (cardinality($D::text[]) = 0
                   OR EXISTS (SELECT 1 FROM unnest(a.ips) ip, unnest($D::text[]::cidr[]) s WHERE ip <<= s))))"""
        .replace("$A", "$" + first).replace("$B", "$" + (first + 1)).replace("$C", "$" + (first + 2))
        .replace("$D", "$" + (first + 3)).replace("$R", "$" + reported);
  }
}
