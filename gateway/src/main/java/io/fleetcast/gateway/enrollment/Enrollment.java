package io.fleetcast.gateway.enrollment;

import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.common.security.Tokens;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.error.DomainError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Enrollment itself. A token use is taken atomically (expiry, max uses and allowed CIDRs checked
 * in the same UPDATE), and every enrollment gets a new random agent id: an id is never reused.
 * Every query of an enrollment runs on the connection of its transaction: a refused enrollment
 * that waited for a second pooled connection while holding one is how a dozen bad requests used
 * to starve the whole pool.
 */
public final class Enrollment {
  public static final String PREFIX = EnrollmentTokens.PREFIX;

  /** A successful enrollment. */
  public record Enrolled(UUID agentId, String secret, List<String> tags) {}

  private final Pool pool;
  private final AuditLog audit;
  private final AgentSecrets secrets;
  private final EnrollmentTokens tokens;

  public Enrollment(Pool pool, AuditLog audit, AgentSecrets secrets) {
    this.pool = pool;
    this.audit = audit;
    this.secrets = secrets;
    this.tokens = new EnrollmentTokens(pool, audit);
  }

  public EnrollmentTokens tokens() {
    return tokens;
  }

  /** Why {@code token} would be refused now (empty: usable); one query, no transaction, nothing taken. */
  public Future<Optional<DomainError>> refusal(String token, String remoteIp) {
    return tokens.refusal(pool, token, remoteIp);
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
                // raced to the last use, or revoked meanwhile: say why, on this transaction's connection
                return tokens.refusal(tx, token, remoteIp).compose(p -> Future.<Enrolled>failedFuture(
                    p.orElseGet(() -> DomainError.unauthorized("enrollment token refused"))));
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
}
