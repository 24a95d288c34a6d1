package io.fleetcast.agent;

import io.fleetcast.protocol.AgentMessage;

/**
 * Observes an agent: for tests (e.g. that no task ran twice), embedding and load tests. Called
 * on the agent's context: keep it quick and never block.
 */
public interface AgentListener {

  /** The node answered {@code welcome}. */
  default void onConnected(String nodeUrl, String nodeId) {}

  default void onDisconnected(String nodeUrl, String reason) {}

  /** A task's kind starts running (at most once per task id, ever). */
  default void onTaskStarted(String taskId, String kind) {}

  /** A result is on disk and (if connected) being sent; also for rejected tasks. */
  default void onTaskFinished(AgentMessage.Result result) {}

  /**
   * A task frame was ignored without a trace in the history (no result sent): its signature or
   * its release did not verify, so it may be forged and must not pre-empt the genuine task.
   */
  default void onTaskIgnored(String taskId, String reason) {}

  /** A task id arrived again and was not run again. */
  default void onDuplicateTask(String taskId) {}

  /** A result frame was written to the socket (it may still be lost before the node acknowledges it). */
  default void onResultSent(String taskId) {}

  default void onResultAcked(String taskId, boolean stored) {}

  default void onWakeDone(AgentMessage.WakeDone done) {}

  /** The agent stopped (also after {@link AgentLite#halt()}). */
  default void onStopped() {}
}
