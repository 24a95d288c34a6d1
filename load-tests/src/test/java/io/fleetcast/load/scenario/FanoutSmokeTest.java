package io.fleetcast.load.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.load.report.RunReport;
import io.fleetcast.load.runner.Generators;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CI smoke of the load generator: a small fan-out, ours and the floor's, end to end. */
@Timeout(90)
class FanoutSmokeTest {

  /** 500 simulated agents on one in-process node get a rollout's task and have every result committed; the floor baseline runs too. */
  @Test
  void smallFanoutReachesEveryAgentAndCommitsEveryResult() throws Exception {
    // GIVEN a gateway + node in this JVM and 500 simulated agents in an in-process generator
    CommonOptions opts = new CommonOptions();
    opts.agents = 500;
    opts.sources = "127.0.0.10-127.0.0.40";
    opts.maxHandshakes = 200;
    opts.generatorThreads = 1;
    opts.nodeHeap = "256m";
    opts.floorPort = 0;
    opts.maxMinutes = 5;
    Path runDir = Files.createTempDirectory("fleetcast-load-smoke-run");
    RunReport report = new RunReport("fanout-smoke", "FanoutSmokeTest");
    try (RunContext ctx = new RunContext(opts, InProcessCluster.start(), Generators.inProcess(), report, runDir)) {
      // WHEN one warm-up and one measured rollout go out, then the floor baseline
      JsonObject ours = Fanout.run(ctx, new Fanout.Params(1, 1, true, false, false, "127.0.0.1", 1883, "127.0.0.1", 4222));

      // THEN every agent had the task and every result was committed (resultAck and rows in Postgres)
      JsonObject trial = ours.getJsonArray("trials").getJsonObject(0);
      assertThat(trial.getInteger("targets")).isEqualTo(500);
      assertThat(trial.getJsonObject("delivered").getLong("count")).isEqualTo(500);
      assertThat(trial.getJsonObject("committed").getLong("count")).isEqualTo(500);
      assertThat(trial.getJsonObject("committed").getValue("dbObservedMs")).isNotNull();
      assertThat(trial.getString("finalState")).isEqualTo("completed");
      // AND the floor served the same 500 clients
      JsonObject floor = report.root().getJsonObject("baselines").getJsonObject("floor");
      assertThat(floor.containsKey("failed")).as(floor.encode()).isFalse();
      assertThat(floor.getJsonArray("trials").getJsonObject(0).getJsonObject("delivered").getLong("count"))
          .isEqualTo(500);
      assertThat(report.table()).contains("delivered to all");
    } finally {
      deleteTree(runDir);
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
