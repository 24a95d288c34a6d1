package io.fleetcast.gateway.software;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.rollout.TaskSigner;
import io.fleetcast.common.depot.DepotStore.DepotRow;
import io.fleetcast.protocol.task.SpecStage;
import io.fleetcast.protocol.task.SpecValidator;
import io.fleetcast.protocol.task.TaskKinds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The install spec the gateway resolves a catalog step into is one the agents' install descriptor accepts. */
class InstallResolverTest {

  /** Resolved with depots, an archive and a bandwidth limit, the spec is the descriptor's resolved catalog form, valid. */
  @Test
  void resolvedSpecIsWhatAgentsAccept() {
    // GIVEN a package with a program, two depots and the origin
    InstallResolver resolver = new InstallResolver(null, null, TaskSigner.ephemeral(), Duration.ofHours(1));
    PackageStore.PackageRow pkg = new PackageStore.PackageRow(UUID.randomUUID(), "acme-agent", "4.2.1", "c".repeat(64),
        5_000_000_000L, "acme-agent-4.2.1.zip", "zip", new JsonArray(), OffsetDateTime.now(), "admin");
    ProgramSpec program = ProgramSpec.parse(new JsonObject().put("name", "install").put("command", "setup.exe")
        .put("args", new JsonArray().add("/quiet")).put("runAs", "SYSTEM"));
    List<DepotRow> depots = List.of(new DepotRow("d1", "http://127.0.0.1:9001", "branch-1", List.of("10.1.0.0/16"), false,
        "n1"), new DepotRow("origin", "http://127.0.0.1:9000", null, List.of(), true, "n0"));

    // WHEN the task spec is built
    JsonObject spec = resolver.taskSpec(pkg, program, depots, Instant.now().plusSeconds(600), 2048);

    // THEN the agents read it in the resolved catalog form and find nothing wrong with it
    assertThat(TaskKinds.INSTALL.formFor(SpecStage.TASK, spec).name()).isEqualTo("resolved catalog");
    assertThat(SpecValidator.check(TaskKinds.INSTALL, SpecStage.TASK, spec)).isEmpty();
    // and the descriptor (hence docs/protocol.md) names every field the gateway writes
    assertThat(TaskKinds.INSTALL.formFor(SpecStage.TASK, spec).fieldNames()).containsAll(spec.fieldNames());
  }
}
