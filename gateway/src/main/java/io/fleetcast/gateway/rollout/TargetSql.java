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

  /**
   * Resolves the targets in one statement. The order is random among agents online on a live node first, and the
   * first wave (ceil(waves[0] % of the targets), at least one) is marked released right here, so
   * a rollout's first dispatch does not have to rewrite every target row first.
   */
  public static final String RESOLVE_TARGETS = """
      INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, wave)
      SELECT $1, x.id, x.rn::int - 1, CASE WHEN x.rn <= GREATEST(1, ceil($6::int * x.total / 100.0)) THEN 0 END
      FROM (SELECT a.id, row_number() OVER (ORDER BY """ + heldByLiveNode(7) + """
       DESC, random()) AS rn, count(*) OVER () AS total
            FROM agents a
            WHERE """ + selector(2, 8) + ") x";

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
