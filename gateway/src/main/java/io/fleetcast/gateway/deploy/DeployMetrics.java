package io.fleetcast.gateway.deploy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Deployment metrics: hosts by state (all jobs), failures by error type, retries, rejected import lines. */
public final class DeployMetrics {
  private final Map<HostState, AtomicInteger> hosts = new EnumMap<>(HostState.class);
  private final Map<DeployError, Counter> failures = new EnumMap<>(DeployError.class);
  private final Counter retries;
  private final Counter rejectedLines;
  private final Counter installed;

  public DeployMetrics(MeterRegistry registry) {
    for (HostState s : HostState.values()) {
      AtomicInteger v = new AtomicInteger();
      hosts.put(s, v);
      Gauge.builder("fleetcast_deploy_hosts", v, AtomicInteger::get).tag("state", s.wire())
          .description("Hosts of all deployments by state").register(registry);
    }
    for (DeployError e : DeployError.values()) {
      failures.put(e, Counter.builder("fleetcast_deploy_failures_total").tag("type", e.wire())
          .description("Hosts that ended failed, by error type").register(registry));
    }
    retries = Counter.builder("fleetcast_deploy_retries_total")
        .description("Install attempts scheduled again after a transient failure").register(registry);
    rejectedLines = Counter.builder("fleetcast_deploy_import_rejected_lines_total")
        .description("CSV lines and list entries refused at import").register(registry);
    installed = Counter.builder("fleetcast_deploy_installed_total")
        .description("Hosts whose installed agent enrolled and connected").register(registry);
  }

  public void hostsByState(Map<String, Integer> counts) {
    for (HostState s : HostState.values()) {
      hosts.get(s).set(counts.getOrDefault(s.wire(), 0));
    }
  }

  public void failed(DeployError e) {
    failures.get(e).increment();
  }

  public void retried() {
    retries.increment();
  }

  public void rejectedLines(int n) {
    rejectedLines.increment(n);
  }

  public void installed() {
    installed.increment();
  }
}
