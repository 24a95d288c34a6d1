package io.fleetcast.fleetctl.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.output.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutRequestTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private static RolloutFlags flags(String name, String exec, List<String> tags, List<Integer> waves, String expires) {
    return new RolloutFlags(name, exec, 300, null, false, tags, null, null, waves, 500, 5.0, null, expires, false, false);
  }

  /** Flags alone give the SPEC body: an exec step, tag targets, strategy with a relative expiry made absolute. */
  @Test
  void flagsBuildTheSpecBody() {
    ObjectNode body = RolloutRequest.build(null, flags("patch", "apply-patch --now", List.of("branch"),
        List.of(1, 10, 100), "2h"), NOW);
    assertThat(Json.compact(body)).isEqualTo("{\"name\":\"patch\",\"steps\":[{\"kind\":\"exec\",\"spec\":"
        + "{\"command\":\"apply-patch --now\",\"shell\":true,\"timeoutSeconds\":300}}],\"targets\":{\"agents\":[],"
        + "\"tags\":[\"branch\"],\"subnets\":[]},\"strategy\":{\"waves\":[1,10,100],\"maxInFlight\":500,"
        + "\"maxFailurePercent\":5.0,\"expiresAt\":\"2026-11-23T12:00:00Z\"}}");
  }

  /** A YAML file is the base; flags given replace their part and keep the rest. */
  @Test
  void flagsOverrideTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("r.yaml");
    Files.writeString(f, """
        name: from file
        steps: [{kind: inventory}]
        targets: {all: true}
        strategy: {waves: [50, 100], wakeOffline: true}
        """);
    RolloutFlags only = new RolloutFlags("renamed", null, null, null, false, null, null, null, List.of(100), null, null,
        null, null, false, false);
    ObjectNode body = RolloutRequest.build(RolloutRequest.fromFile(f), only, NOW);
    assertThat(body.path("name").asText()).isEqualTo("renamed");
    assertThat(body.path("steps").get(0).path("kind").asText()).isEqualTo("inventory");
    assertThat(body.path("targets").path("all").asBoolean()).isTrue();
    assertThat(Json.compact(body.path("strategy"))).isEqualTo("{\"waves\":[100],\"wakeOffline\":true}");
  }

  /** Without a file, name, steps and targets must come from flags; the message says which flag. */
  @Test
  void missingBasicsAreUsageErrors() {
    assertThatThrownBy(() -> RolloutRequest.build(null, flags(null, "x", List.of("t"), null, null), NOW))
        .isInstanceOf(CliException.class).hasMessageContaining("--name is required");
    assertThatThrownBy(() -> RolloutRequest.build(null, flags("n", null, List.of("t"), null, null), NOW))
        .hasMessageContaining("--exec");
    assertThatThrownBy(() -> RolloutRequest.build(null, flags("n", "x", null, null, null), NOW))
        .hasMessageContaining("--target-all");
  }

  /** A --step that is not a JSON object, or a file that is not YAML, is refused before sending. */
  @Test
  void malformedStepOrFileIsRefused(@TempDir Path dir) throws Exception {
    RolloutFlags badStep = new RolloutFlags("n", null, null, List.of("{kind:"), true, null, null, null, null, null, null,
        null, null, false, false);
    assertThatThrownBy(() -> RolloutRequest.build(null, badStep, NOW)).hasMessageContaining("--step");
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "name: [unclosed");
    assertThatThrownBy(() -> RolloutRequest.fromFile(f)).isInstanceOf(CliException.class)
        .hasMessageContaining("cannot parse");
    assertThatThrownBy(() -> RolloutRequest.fromFile(dir.resolve("missing.yaml"))).hasMessageContaining("no such file");
  }

  /** Times: RFC 3339 passes through normalised, durations count from now, anything else is refused. */
  @Test
  void timeArguments() {
    assertThat(TimeArg.toRfc3339("--x", "2026-12-01T00:00:00Z", NOW)).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(TimeArg.toRfc3339("--x", "90m", NOW)).isEqualTo("2026-11-23T11:30:00Z");
    assertThat(TimeArg.toRfc3339("--x", "1d", NOW)).isEqualTo("2026-11-24T10:00:00Z");
    assertThatThrownBy(() -> TimeArg.toRfc3339("--x", "tomorrow", NOW)).hasMessageContaining("--x: 'tomorrow'");
  }
}
