package io.fleetcast.agent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the ids of tasks whose kind started, in order: a repeat would mean a task ran twice. */
final class ExecutedTasks implements AgentListener {
  private final List<String> ids = new CopyOnWriteArrayList<>();

  @Override
  public void onTaskStarted(String taskId, String kind) {
    ids.add(taskId);
  }

  List<String> ids() {
    return List.copyOf(ids);
  }
}
