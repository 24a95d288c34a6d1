package io.fleetcast.gateway.agent;

import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.common.security.Tokens;
import io.fleetcast.gateway.api.Problem;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Enrollment tokens and enrollment itself. A token use is taken atomically (expiry, max uses
 * and allowed CIDRs checked in the same UPDATE), and every enrollment gets a new random
 * agent id: an id is never reused.
 */
public final class Enrollment {
  public static final String PREFIX = "fce_";

  /** A successful enrollment. */
  public record Enrolled(UUID agentId, String secret, List<String> tags) {}

  private final Pool pool;
  private final AuditLog audit;
  private final AgentSecrets secrets;

  public Enrollment(Pool pool, AuditLog audit, AgentSecrets secrets) {
    this.pool = pool;
    this.audit = audit;
    this.secrets = secrets;
  }

  public Future<JsonObject> createToken(Instant expiresAt, int maxUses, List<String> tags, List<String> cidrs,
      Principal who, String remote) {
    String token = Tokens.generate(PREFIX);
    UUID id = UUID.randomUUID();
    return pool.withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(), "enrollment_token.create",
            id.toString(), remote, new JsonObject().put("maxUses", maxUses).put("expiresAt", expiresAt.toString())
                .put("tags", new JsonArray(tags)).put("allowedCidrs", new JsonArray(cidrs)))
        .compose(seq -> tx.preparedQuery("INSERT INTO enrollment_tokens (id, token_hash, expires_at, max_uses, tags, "
                + "allowed_cidrs, created_by) VALUES ($1, $2, $3, $4, $5, $6::text[]::cidr[], $7)")
            .execute(Tuple.tuple().addValue(id).addValue(Tokens.hash(token)).addValue(expiresAt.atOffset(ZoneOffset.UTC))
                .addValue(maxUses).addValue(tags.toArray(new String[0])).addValue(cidrs.toArray(new String[0]))
                .addValue(who.actor()))))
        .map(r -> new JsonObject().put("id", id.toString()).put("token", token).put("expiresAt", expiresAt.toString())
            .put("maxUses", maxUses).put("tags", new JsonArray(tags)).put("allowedCidrs", new JsonArray(cidrs)));
  }

  public Future<Enrolled> enroll(String token, String remoteIp, String hostname, JsonObject facts) {
    String hash = Tokens.hash(token);
    return pool.withTransaction(tx -> tx.preparedQuery("""
                UPDATE enrollment_tokens SET uses = uses + 1
                WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND uses < max_uses
                  AND (cardinality(allowed_cidrs) = 0 OR $2::text::inet <<= ANY(allowed_cidrs))
                RETURNING id, tags""")
            .execute(Tuple.of(hash, remoteIp))
            .compose(rows -> {
              if (rows.size() == 0) {
                return whyRefused(hash, remoteIp);
              }
              Row t = rows.iterator().next();
              UUID tokenId = t.getUUID(0);
              String[] tags = t.getArrayOfStrings(1);
              UUID agentId = UUID.randomUUID();
              return tx.preparedQuery("INSERT INTO agents (id, hostname, enrollment_token_id, enrolled_from, "
                      + "enrollment_tags, tags, facts) VALUES ($1, $2, $3, $4::text::inet, $5, $5, $6)")
                  .execute(Tuple.tuple().addValue(agentId).addValue(hostname).addValue(tokenId).addValue(remoteIp)
                      .addValue(tags).addValue(facts == null ? new JsonObject() : facts))
                  .compose(x -> audit.append(tx, "enrollment token " + tokenId, "agent", "agent.enroll", agentId.toString(),
                      remoteIp, new JsonObject().put("hostname", hostname)))
                  .map(x -> new Enrolled(agentId, secrets.secretFor(agentId.toString()), List.of(tags)));
            }));
  }

  /** Tells the caller plainly why a token was refused (it gets nothing it could not learn by trying). */
  private Future<Enrolled> whyRefused(String hash, String remoteIp) {
    return pool.preparedQuery("SELECT revoked_at IS NOT NULL, expires_at <= now(), uses >= max_uses, "
            + "NOT (cardinality(allowed_cidrs) = 0 OR $2::text::inet <<= ANY(allowed_cidrs)) FROM enrollment_tokens WHERE token_hash = $1")
        .execute(Tuple.of(hash, remoteIp))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Problem.unauthorized("unknown enrollment token"));
          }
          Row r = rows.iterator().next();
          if (r.getBoolean(0)) {
            return Future.failedFuture(Problem.unauthorized("enrollment token revoked"));
          }
          if (r.getBoolean(1)) {
            return Future.failedFuture(Problem.unauthorized("enrollment token expired"));
          }
          if (r.getBoolean(2)) {
            return Future.failedFuture(Problem.unauthorized("enrollment token used up"));
          }
          return Future.failedFuture(Problem.forbidden("enrollment from " + remoteIp + " is not allowed by this token"));
        });
  }
}
