package io.fleetcast.load.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.load.report.RunReport;
import io.fleetcast.load.runner.Generators;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CI smoke of the distribute benchmark: a tiny package to a few real agents in two subnets, cache on and off. */
@Timeout(180)
class DistributeSmokeTest {

  /** 12 agent-lite agents in 2 loopback subnets install a 2 MiB package; with the peer cache off no peer bytes flow. */
  @Test
  void tinyDistributeCompletesWithAndWithoutPeers() throws Exception {
    CommonOptions opts = new CommonOptions();
    opts.agents = 12;
    opts.maxMinutes = 5;
    Path runDir = Files.createTempDirectory("fleetcast-distribute-smoke");
    RunReport report = new RunReport("distribute-smoke", "DistributeSmokeTest");
    try (RunContext ctx = new RunContext(opts, InProcessCluster.start(), Generators.inProcess(), report, runDir)) {
      JsonObject out = Distribute.run(ctx, new Distribute.Params(2, 2, true, true, java.util.List.of(10, 100)));
      JsonObject on = out.getJsonObject("peerCacheOn");
      JsonObject off = out.getJsonObject("peerCacheOff");
      long size = 2L << 20;
      assertThat(on.getString("finalState")).isEqualTo("completed");
      assertThat(on.getInteger("succeeded")).isEqualTo(12);
      assertThat(on.getLong("originBytesToAgents")).isZero();
      assertThat(on.getLong("originBytes")).isLessThanOrEqualTo(size * on.getInteger("depots"));
      assertThat(on.getLong("depotBytes") + on.getLong("peerBytes")).isGreaterThanOrEqualTo(12 * size);
      assertThat(on.getLong("peerBytes")).as("the first wave seeded a subnet's peers").isPositive();
      assertThat(off.getInteger("succeeded")).isEqualTo(12);
      assertThat(off.getLong("peerBytes")).isZero();
      assertThat(off.getLong("depotBytes")).isGreaterThanOrEqualTo(12 * size);
      assertThat(off.getLong("originBytes")).as("a fresh package: the depot fetched it once").isEqualTo(size);
      assertThat(report.table()).contains("peerCacheOn: all verified");
    }
  }
}
