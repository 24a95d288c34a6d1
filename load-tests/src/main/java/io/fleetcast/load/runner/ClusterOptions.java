package io.fleetcast.load.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start a cluster of separate server processes on this machine.
 *
 * @param serverJar the shaded server jar (copied into the run directory before use)
 * @param pgUrl an existing Postgres server to create the run's database on; null = 127.0.0.1:5432 if it answers, else embedded
 * @param apiPort the gateway's API port
 * @param agentPort the first node's agent port; node i listens on {@code agentPort + i}
 * @param clusterPort the first Hazelcast port; members are {@code clusterPort .. clusterPort + 19}
 * @param nodeEnv extra FLEETCAST_* settings for the nodes (e.g. batch sizes)
 * @param maxSeconds hard lifetime of every process of the run
 * @param logStatementsMillis Postgres logs this run's statements slower than this (-1 = off)
 */
public record ClusterOptions(Path serverJar, String pgUrl, int nodes, int apiPort, int agentPort, int clusterPort,
    List<String> nodeJvm, List<String> gatewayJvm, Map<String, String> nodeEnv, Map<String, String> gatewayEnv,
    Path runDir, long maxSeconds, int logStatementsMillis) {}
