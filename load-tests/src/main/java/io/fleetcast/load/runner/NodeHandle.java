package io.fleetcast.load.runner;

/**
 * One cluster node as the scenarios see it.
 *
 * @param pid the node's JVM process id (the test JVM's own for an in-process cluster)
 */
public record NodeHandle(String id, String agentUrl, String baseUrl, long pid) {
  public String metricsUrl() {
    return baseUrl + "/metrics";
  }
}
