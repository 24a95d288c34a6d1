package io.fleetcast.common.log;

/**
 * The servers' spelling of {@link io.fleetcast.protocol.log.Kv#line}: {@code event=name key=value ...},
 * values quoted when needed. The formatting lives in the protocol module so that the agent, which
 * depends on nothing else, writes the same lines; this entry point stays for the existing callers.
 */
public final class Kv {
  private Kv() {}

  public static String event(String event, Object... keyValues) {
    return io.fleetcast.protocol.log.Kv.line(event, keyValues);
  }

  static String quote(String s) {
    return io.fleetcast.protocol.log.Kv.quote(s);
  }
}
