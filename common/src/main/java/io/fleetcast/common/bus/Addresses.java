package io.fleetcast.common.bus;

/**
 * Event-bus addresses between gateways and nodes. Node addresses are per node: the node's own inbox.
 * Bodies are the message records of this package (their codecs: {@link BusCodecs}), except dispatch.
 */
public final class Addresses {
  private Addresses() {}

  /** Request: a task frame and the node's local target agents; reply: which were not connected here. */
  public static String dispatch(String nodeId) {
    return "fleetcast.node." + nodeId + ".dispatch";
  }

  /**
   * Request: a {@link ControlOp} for one node (supersede, drain, undrain, watchOutput); reply: the
   * {@link ControlReply} named on the operation.
   */
  public static String control(String nodeId) {
    return "fleetcast.node." + nodeId + ".control";
  }

  /**
   * Publish: chunks of a running task's output from this agent, relayed by its node while a
   * gateway watches (never stored). Body: {@link OutputChunk}.
   */
  public static String output(String agentId) {
    return "fleetcast.output." + agentId;
  }

  /** Publish to every node: an agent was revoked; close it and refuse it from now on ({@link RevokedMessage}). */
  public static final String REVOKED = "fleetcast.nodes.revoked";

  /** Publish to every gateway: targets of these rollouts changed state (results or acks stored; {@link ProgressMessage}). */
  public static final String PROGRESS = "fleetcast.gateways.progress";

  /** Publish to every gateway: these agents came online (presence stored; {@link OnlineMessage}). */
  public static final String ONLINE = "fleetcast.gateways.online";

  /** Publish to every gateway: a relay agent reported the outcome of a wakeRelay ({@link WakeDoneMessage}). */
  public static final String WAKE_DONE = "fleetcast.gateways.wakeDone";
}
