package io.fleetcast.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real network partition: two network namespaces created for this test, joined by a veth pair
 * (addresses from 198.18.0.0/30, the benchmarking range, which exist only inside them), and
 * packet filtering inside them (tc: htb classes, a u32 classifier and a blackhole qdisc) that
 * drops every packet between the namespaces except agent traffic and Postgres. The run itself is
 * {@link PartitionScenario}, in its own JVM inside the first namespace; it exits 0 when every
 * check held. Skipped, with the reason, where the test is not root or the tools are missing.
 */
@Timeout(600)
class PartitionTest {
  static final String VETH_A = "veth";

  /** The scenario's checks: majority purge, minority reconnect, a rollout not stalled by the cut, merge re-assert, purge after merge. */
  @Test
  void nodeCutOffFromTheMajority() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 6);
    String nsA = "fcpa-" + id;
    String nsB = "fcpb-" + id;
    String why = prepare(nsA, nsB);
    try {
      Assumptions.assumeTrue(why == null, () -> "SKIPPED partition test: " + why);
      Path logs = Path.of("target", "partition-logs").toAbsolutePath();
      Files.createDirectories(logs);
      Path out = logs.resolve("scenario.log");
      List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", nsA,
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
          "-Dhazelcast.phone.home.enabled=false", "-cp", System.getProperty("java.class.path"),
          PartitionScenario.class.getName(), nsA, nsB, logs.toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      boolean finished = p.waitFor(540, TimeUnit.SECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      String log = Files.readString(out);
      assertThat(finished).as("scenario finished in time; log:\n" + tail(log)).isTrue();
      assertThat(p.exitValue()).as("scenario checks; log:\n" + tail(log)).isZero();
      assertThat(log).contains("event=partition.passed");
    } finally {
      exec("ip", "netns", "del", nsA);
      exec("ip", "netns", "del", nsB);
    }
  }

  static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 150), lines.length));
  }

  /** Creates both namespaces and the veth between them, and proves the filter works; yields why not, or null. */
  static String prepare(String nsA, String nsB) {
    try {
      String status = Files.readString(Path.of("/proc/self/status"));
      if (!status.lines().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"))) {
        return "needs root (network namespaces and tc)";
      }
    } catch (IOException e) {
      return "cannot read /proc/self/status: " + e.getMessage();
    }
    for (String[] step : List.of(
        new String[] {"ip", "netns", "add", nsA},
        new String[] {"ip", "netns", "add", nsB},
        new String[] {"ip", "-n", nsA, "link", "add", VETH_A, "type", "veth", "peer", "name", VETH_A, "netns", nsB},
        new String[] {"ip", "-n", nsA, "link", "set", "lo", "up"},
        new String[] {"ip", "-n", nsB, "link", "set", "lo", "up"},
        new String[] {"ip", "-n", nsA, "addr", "add", PartitionScenario.A + "/30", "dev", VETH_A},
        new String[] {"ip", "-n", nsB, "addr", "add", PartitionScenario.B + "/30", "dev", VETH_A},
        new String[] {"ip", "-n", nsA, "link", "set", VETH_A, "up"},
        new String[] {"ip", "-n", nsB, "link", "set", VETH_A, "up"})) {
      String err = exec(step);
      if (err != null) {
        return String.join(" ", step) + " failed: " + err;
      }
    }
    String err = filter(nsA, 1, 2);
    if (err != null) {
      return "packet filtering (tc htb + u32 + blackhole) unavailable: " + err;
    }
    exec("ip", "netns", "exec", nsA, "tc", "qdisc", "del", "dev", VETH_A, "root");
    return null;
  }

  /**
   * The cut: in each namespace, veth egress passes only traffic to B's listening ports (agents to
   * node-3, the test to gateway-b's API) and B's connections to the Postgres relay in A.
   */
  static void cut(String nsA, String nsB, List<Integer> portsInB, int relayPort) {
    List<List<String>> toB = new ArrayList<>();
    List<List<String>> fromB = new ArrayList<>();
    for (int p : portsInB) {
      toB.add(List.of("dport", String.valueOf(p)));
      fromB.add(List.of("sport", String.valueOf(p)));
    }
    toB.add(List.of("sport", String.valueOf(relayPort)));
    fromB.add(List.of("dport", String.valueOf(relayPort)));
    String a = filterPassing(nsA, toB);
    String b = filterPassing(nsB, fromB);
    if (a != null || b != null) {
      throw new IllegalStateException("cut failed: " + a + " / " + b);
    }
  }

  static void heal(String nsA, String nsB) {
    exec("ip", "netns", "exec", nsA, "tc", "qdisc", "del", "dev", VETH_A, "root");
    exec("ip", "netns", "exec", nsB, "tc", "qdisc", "del", "dev", VETH_A, "root");
  }

  static String filter(String ns, int agentPort, int relayPort) {
    return filterPassing(ns, List.of(List.of("dport", String.valueOf(agentPort)), List.of("sport", String.valueOf(relayPort))));
  }

  /** htb whose default class drains into a blackhole; u32 sends ARP and the given TCP ports to a class that passes. */
  static String filterPassing(String ns, List<List<String>> passing) {
    List<List<String>> steps = new ArrayList<>();
    steps.add(List.of("qdisc", "add", "dev", VETH_A, "root", "handle", "1:", "htb", "default", "20"));
    steps.add(List.of("class", "add", "dev", VETH_A, "parent", "1:", "classid", "1:10", "htb", "rate", "1gbit"));
    steps.add(List.of("class", "add", "dev", VETH_A, "parent", "1:", "classid", "1:20", "htb", "rate", "8bit", "ceil",
        "8bit"));
    steps.add(List.of("qdisc", "add", "dev", VETH_A, "parent", "1:20", "handle", "20:", "blackhole"));
    steps.add(List.of("filter", "add", "dev", VETH_A, "parent", "1:", "protocol", "arp", "prio", "1", "u32", "match",
        "u32", "0", "0", "flowid", "1:10"));
    for (List<String> port : passing) {
      steps.add(List.of("filter", "add", "dev", VETH_A, "parent", "1:", "protocol", "ip", "prio", "2", "u32", "match",
          "ip", port.get(0), port.get(1), "0xffff", "flowid", "1:10"));
    }
    for (List<String> step : steps) {
      List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "tc"));
      cmd.addAll(step);
      String err = exec(cmd.toArray(new String[0]));
      if (err != null) {
        return String.join(" ", cmd) + ": " + err;
      }
    }
    return null;
  }

  /** Runs a command (bounded to 30 s); yields null on success, else its output. */
  static String exec(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.exitValue() == 0 ? null : (out.isEmpty() ? "exit " + p.exitValue() : out);
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
