package io.fleetcast.load.runner;

import io.fleetcast.common.db.PgUrl;
import java.util.List;

/** A running Fleetcast cluster under test: separate processes, or one JVM for the CI smoke. */
public interface ClusterHandle extends AutoCloseable {
  String apiUrl();

  String adminToken();

  PgUrl pg();

  List<NodeHandle> nodes();

  /** The gateway's process id, or 0 when it shares the JVM. */
  long gatewayPid();

  /** {@code kill -9} of one node process. */
  /** SIGKILL to a node; completes with the nanoTime at which the kernel had torn it down (0: not seen). */
  java.util.concurrent.CompletableFuture<Long> kill(int node);

  default List<String> agentUrls() {
    return nodes().stream().map(NodeHandle::agentUrl).toList();
  }

  @Override
  void close();
}
