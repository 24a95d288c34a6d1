package io.fleetcast.gateway.rollout;

import io.fleetcast.common.rollout.TargetTransitions;

/** SQL shared by the target statements of {@link RolloutStore}: liveness of an agent's node, target resolution. */
public final class TargetSql {
  private TargetSql() {}

  /**
   * SQL true (never null) when agent {@code a} is online on a live node ($n: the live node ids,
   * or NULL when unknown, which trusts {@code online} alone).
   */
  public static String heldByLiveNode(int param) {
    return TargetTransitions.heldByLiveNode(param);
  }

  /** One chunk of target resolution ({@link TargetTransitions#resolveChunk}), phase 0: selector in $2-$6. */
  static final String RESOLVE_CHUNK_ONLINE = TargetTransitions.resolveChunk(selector(2, 6), 0);

  /** The same, phase 1 (every agent not yet a target). */
  static final String RESOLVE_CHUNK_REST = TargetTransitions.resolveChunk(selector(2, 6), 1);

  /** How many agents the selector names (enrolled by rollout $6's resolve_until): what a created rollout answers. */
  static final String COUNT_TARGETS = "SELECT count(*)::int FROM agents a WHERE " + selector(1, 5)
      + " AND a.enrolled_at <= (SELECT r.resolve_until FROM rollouts r WHERE r.id = $6)";

  /**
   * Which agents a target selector names (alias {@code a}): parameters {@code first} to {@code first + 3} are
   * all, agent ids, tags, subnets; {@code reported} the opt-in self-reported tags. Trusted tags (the
   * enrollment token's or an admin's) match {@code tags}; what agents report only {@code reported}.
   * Shared by resolution and the count preview.
   */
  public static String selector(int first, int reported) {
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
