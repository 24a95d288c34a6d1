package io.fleetcast.agent.testing;

import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Options for agents in tests: loopback facts, fake OS, fast back-off, wake forced to 127.0.0.1. */
public final class Agents {
  private Agents() {}

  public static AgentOptions options(Path stateDir, String agentId, String secret, String nodeUrl, TestKeys keys) {
    AgentOptions o = new AgentOptions().stateDir(stateDir).agentId(agentId).agentSecret(secret)
        .nodeUrls(List.of(nodeUrl)).dev(true).tags(List.of("lab"))
        .factsProvider(StaticFactsProvider.loopback("test-host")).osActions(new FakeOsActions())
        .backoffBase(Duration.ofMillis(50)).backoffCap(Duration.ofMillis(300))
        .killGrace(Duration.ofMillis(300)).wakeForceAddress("127.0.0.1").wakeBroadcast("127.0.0.1")
        .wakeRepeats(2).wakeInterval(Duration.ofMillis(50));
    if (keys != null) {
      o.signingKey(keys.keyId, keys.publicKeyBase64());
    }
    return o;
  }

  public static void eventually(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      FakeNode.sleep(10);
    }
  }
}
