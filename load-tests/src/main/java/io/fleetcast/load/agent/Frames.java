package io.fleetcast.load.agent;

import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.Facts;
import java.time.Instant;
import java.util.List;

/**
 * The frames a simulated agent sends. {@code ack} and {@code result} are on the hot path of
 * every scenario, so they are written with a StringBuilder instead of a JSON tree; a unit
 * test decodes them with the protocol module to keep them exactly SPEC section 1.
 */
public final class Frames {
  public static final String VERSION = "fleetcast-load/1";

  private Frames() {}

  public static String hello(String agentId, int index) {
    return new AgentMessage.Hello(agentId, VERSION, facts(index)).encode();
  }

  /** Plausible facts of a branch-office PC; addresses are documentation-style and never contacted. */
  static Facts facts(int index) {
    int a = (index >> 16) & 0xFF;
    int b = (index >> 8) & 0xFF;
    int c = index & 0xFF;
    String ip = "10." + a + "." + b + "." + c;
    String mac = String.format("02:00:00:%02x:%02x:%02x", a, b, c);
    return new Facts("sim-" + index, "linux", "amd64", List.of(ip), List.of(mac),
        List.of("10." + a + "." + b + ".0/24"), List.of("load-test"), List.of());
  }

  public static String ack(String taskId) {
    return new StringBuilder(64).append("{\"type\":\"ack\",\"taskId\":\"").append(taskId).append("\"}").toString();
  }

  /** A succeeded result with a short output; ids are UUIDs, so nothing needs escaping. */
  public static String result(String taskId, Instant startedAt, Instant finishedAt) {
    return new StringBuilder(192).append("{\"type\":\"result\",\"taskId\":\"").append(taskId)
        .append("\",\"status\":\"succeeded\",\"exitCode\":0,\"output\":\"ok\",\"startedAt\":\"").append(startedAt)
        .append("\",\"finishedAt\":\"").append(finishedAt).append("\"}").toString();
  }

  /** The generator never sends Wake-on-LAN packets: every relay request is answered as failed. */
  public static String wakeDone(String requestId, List<String> macs) {
    return new AgentMessage.WakeDone(requestId, List.of(),
        macs.stream().map(m -> new AgentMessage.WakeFailure(m, "simulated agent sends no packets")).toList()).encode();
  }
}
