package io.fleetcast.agent;

import io.fleetcast.protocol.log.Kv;
import io.fleetcast.protocol.AgentMessage;
import java.util.List;
import java.util.logging.Logger;

/** Records executed ids, then tells every listener; a failing listener cannot hurt the agent. */
final class ListenerFanout implements AgentListener {
  private static final Logger LOG = Logger.getLogger(ListenerFanout.class.getName());

  private final List<AgentListener> listeners;
  private final List<String> executed;

  /** @param executed where started task ids are recorded (a repeat would mean a task ran twice) */
  ListenerFanout(List<AgentListener> listeners, List<String> executed) {
    this.listeners = listeners;
    this.executed = executed;
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
    executed.add(taskId);
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
