package io.fleetcast.agent;

import io.fleetcast.protocol.log.Kv;
import io.fleetcast.protocol.AgentMessage;
import java.util.List;
import java.util.logging.Logger;

/** Tells every listener, in the order they were added; a failing listener cannot hurt the agent. */
final class ListenerFanout implements AgentListener {
  private static final Logger LOG = Logger.getLogger(ListenerFanout.class.getName());

  private final List<AgentListener> listeners;

  ListenerFanout(List<AgentListener> listeners) {
    this.listeners = listeners;
  }

  private void each(java.util.function.Consumer<AgentListener> call) {
    for (AgentListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warning(Kv.event("listener.failed").kv("error", e.toString()).toString());
      }
    }
  }

  @Override
  public void onConnected(String nodeUrl, String nodeId) {
    each(l -> l.onConnected(nodeUrl, nodeId));
  }

  @Override
  public void onDisconnected(String nodeUrl, String reason) {
    each(l -> l.onDisconnected(nodeUrl, reason));
  }

  @Override
  public void onTaskIgnored(String taskId, String reason) {
    each(l -> l.onTaskIgnored(taskId, reason));
  }

  @Override
  public void onTaskStarted(String taskId, String kind) {
    each(l -> l.onTaskStarted(taskId, kind));
  }

  @Override
  public void onTaskFinished(AgentMessage.Result result) {
    each(l -> l.onTaskFinished(result));
  }

  @Override
  public void onDuplicateTask(String taskId) {
    each(l -> l.onDuplicateTask(taskId));
  }

  @Override
  public void onResultSent(String taskId) {
    each(l -> l.onResultSent(taskId));
  }

  @Override
  public void onResultAcked(String taskId, boolean stored) {
    each(l -> l.onResultAcked(taskId, stored));
  }

  @Override
  public void onWakeDone(AgentMessage.WakeDone done) {
    each(l -> l.onWakeDone(done));
  }

  @Override
  public void onStopped() {
    each(AgentListener::onStopped);
  }
}
