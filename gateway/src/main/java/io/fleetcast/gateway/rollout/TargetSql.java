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
   * Resolves the targets in one statement. The order is random among agents online on a live node first, and the
   * first wave (ceil(waves[0] % of the targets), at least one) is marked released right here, so
   * a rollout's first dispatch does not have to rewrite every target row first.
   */
  static final String RESOLVE_TARGETS = """
      INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, wave)
      SELECT $1, x.id, x.rn::int - 1, CASE WHEN x.rn <= GREATEST(1, ceil($6::int * x.total / 100.0)) THEN 0 END
      FROM (SELECT a.id, row_number() OVER (ORDER BY """ + heldByLiveNode(7) + """
       DESC, random()) AS rn,
                   count(*) OVER () AS total
            FROM agents a
            WHERE a.revoked_at IS NULL AND (
              $2::boolean
              OR a.id = ANY($3::uuid[])
              OR ((cardinality($4::text[]) > 0 OR cardinality($5::text[]) > 0 OR cardinality($8::text[]) > 0)
                  -- trusted tags (enrollment token); self-reported ones only when the rollout opts in
                  AND a.tags @> $4::text[]
                  AND a.reported_tags @> $8::text[]
                  AND (cardinality($5::text[]) = 0
                       OR EXISTS (SELECT 1 FROM unnest(a.ips) ip, unnest($5::text[]::cidr[]) s WHERE ip <<= s))))) x
      """;
}
