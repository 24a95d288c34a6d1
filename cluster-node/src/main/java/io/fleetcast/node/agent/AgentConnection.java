package io.fleetcast.node.agent;

/** The transport under one agent session; thread-safe. Implemented over Netty, faked in tests. */
public interface AgentConnection {

  void send(String text);

  /** Sends a frame encoded once and shared by many connections (task fan-out). */
  void send(EncodedFrame frame);

  /** Sends a close frame with this code, then closes the socket. */
  void close(int code, String reason);

  /** Stops or resumes reading frames from the socket (back-pressure). */
  void setReading(boolean reading);

  /** Sends a WebSocket ping; the agent's pong (or any frame) proves it alive. */
  void ping();

  boolean isOpen();

  /**
   * The thread that owns this connection's I/O. Writes run cheapest there: a fan-out hands each
   * I/O thread one task for all its sockets instead of one cross-thread task per write.
   */
  default java.util.concurrent.Executor ioThread() {
    return Runnable::run;
  }

  String remoteAddress();
}
