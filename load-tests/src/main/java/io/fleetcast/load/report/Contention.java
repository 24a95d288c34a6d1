package io.fleetcast.load.report;

import io.fleetcast.load.runner.Probe;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Who used the CPUs during a run: this run's processes by role (nodes, gateway, generators,
 * its Postgres backends, the coordinator) and everything else on the machine (other
 * engineers' builds and tests share these cores), in cores busy on average.
 */
public final class Contention {
  private final Supplier<Map<String, List<Long>>> roles;
  private final long startNanos = System.nanoTime();
  private final double machineStart;
  private final Map<Long, Double> pidStart = new HashMap<>();
  private final Map<Long, Double> waitStart = new HashMap<>();
  private final String loadStart = Probe.loadAverage();

  public Contention(Supplier<Map<String, List<Long>>> roles) {
    this.roles = roles;
    this.machineStart = Probe.machineBusySeconds();
    roles.get().values().forEach(pids -> pids.forEach(this::mark));
    mark(ProcessHandle.current().pid());
  }

  private void mark(long pid) {
    pidStart.put(pid, Probe.cpuSeconds(pid));
    waitStart.put(pid, Probe.runQueueWaitSeconds(pid));
  }

  public JsonObject finish() {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    double machine = Probe.machineBusySeconds() - machineStart;
    Map<String, List<Long>> now = new HashMap<>(roles.get());
    now.put("coordinator", List.of(ProcessHandle.current().pid()));
    JsonObject byRole = new JsonObject();
    JsonObject waitByRole = new JsonObject();
    double ours = 0;
    for (Map.Entry<String, List<Long>> e : now.entrySet()) {
      double used = 0;
      double waited = 0;
      for (long pid : e.getValue()) {
        double s = Probe.cpuSeconds(pid);
        double w = Probe.runQueueWaitSeconds(pid);
        // a process born during the run (a Postgres backend) spent all of it inside the window
        if (s >= 0) {
          used += s - pidStart.getOrDefault(pid, 0.0);
        }
        if (w >= 0) {
          waited += w - Math.max(0, waitStart.getOrDefault(pid, 0.0));
        }
      }
      ours += used;
      byRole.put(e.getKey(), round(used / wall));
      waitByRole.put(e.getKey(), used > 0 ? round(waited / used) : 0);
    }
    return new JsonObject()
        .put("wallSeconds", round(wall))
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("machineBusyCores", round(machine / wall))
        .put("runBusyCores", round(ours / wall))
        .put("runBusyCoresByRole", byRole)
        .put("otherBusyCores", round(Math.max(0, machine - ours) / wall))
        // seconds runnable but waiting for a CPU per second on a CPU: 0 on an idle machine
        .put("runQueueWaitPerCpuSecondByRole", waitByRole)
        .put("loadAverageStart", loadStart)
        .put("loadAverageEnd", Probe.loadAverage());
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
