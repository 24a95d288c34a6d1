package io.fleetcast.protocol;

/** The {@code type} values of the agent channel. */
public final class MessageType {
  // agent -> node
  public static final String HELLO = "hello";
  public static final String FACTS = "facts";
  public static final String ACK = "ack";
  public static final String PROGRESS = "progress";
  public static final String RESULT = "result";
  public static final String WAKE_DONE = "wakeDone";
  /** A chunk of a running task's output, sent only while someone watches (see {@link #WATCH_OUTPUT}). */
  public static final String OUTPUT = "output";
  // node -> agent
  public static final String WELCOME = "welcome";
  public static final String TASK = "task";
  public static final String RESULT_ACK = "resultAck";
  public static final String CANCEL = "cancel";
  public static final String WAKE_RELAY = "wakeRelay";
  public static final String RECONNECT = "reconnect";
  /** Stream this running task's output for the next {@code seconds} (renewed while someone watches). */
  public static final String WATCH_OUTPUT = "watchOutput";

  private MessageType() {}
}
