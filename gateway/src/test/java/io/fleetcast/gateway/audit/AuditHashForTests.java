package io.fleetcast.gateway.audit;

/** The audit log's row-hash SQL for tests that tamper with rows the way an attacker with database access would. */
public final class AuditHashForTests {
  /** {@code String.format} with: previous hash, time text, actor, role, action, target, remote, detail text. */
  public static final String EXPR = AuditLog.HASH_EXPR;

  private AuditHashForTests() {}
}
