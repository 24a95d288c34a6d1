package io.fleetcast.load.baseline;

import java.nio.file.Path;
import java.util.List;

/**
 * What the baselines need to know about the run.
 *
 * @param servers how many floor servers (one per cluster node, so each holds the same share of clients)
 * @param serverJvm JVM options of a floor server (those of a node)
 * @param serverThreads I/O threads per floor server (a node's default: the number of cores)
 * @param ackGraceMillis the clients' ack grace, the same as Fleetcast's clients have (see FleetConfig)
 */
public record BaselineOptions(int clients, int servers, int floorPort, List<String> serverJvm, int serverThreads,
    String sources, int maxHandshakes, int generatorThreads, int warmups, int repeat, Path runDir, long maxSeconds,
    String mqttHost, int mqttPort, String natsHost, int natsPort, int ackGraceMillis) {}
