package io.fleetcast.gateway.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ProgramSpecTest {
  static java.util.List<String> fields(Runnable r) {
    try {
      r.run();
      throw new AssertionError("expected a problem");
    } catch (DomainError p) {
      return p.errors().stream().map(FieldError::field).toList();
    }
  }

  /** Defaults: timeout 1 h, reboot if required, success 0, reboot-required 3010 and 1641. */
  @Test
  void minimalProgramGetsDefaults() {
    ProgramSpec p = ProgramSpec.parse(new JsonObject().put("name", "install").put("command", "{file}"));
    assertThat(p.timeoutSeconds()).isEqualTo(3600);
    assertThat(p.reboot()).isEqualTo("ifRequired");
    assertThat(p.successExitCodes()).containsExactly(0);
    assertThat(p.rebootExitCodes()).containsExactly(3010, 1641);
    assertThat(p.deliverOnly()).isFalse();
    assertThat(ProgramSpec.fromJson(p.toJson())).isEqualTo(p);
  }

  /** Every bad field is reported at once, by name. */
  @Test
  void badFieldsAreAllReported() {
    JsonObject body = new JsonObject().put("name", "../x").put("timeoutSeconds", 0).put("reboot", "sometimes")
        .put("successExitCodes", new JsonArray().add("zero")).put("runAs", "a b").put("extra", 1);
    assertThat(fields(() -> ProgramSpec.parse(body))).contains("name", "command", "timeoutSeconds", "reboot",
        "successExitCodes[0]", "runAs", "extra");
  }

  /** A deliver-only program runs nothing: a command is an error, none is fine. */
  @Test
  void deliverOnlyTakesNoCommand() {
    assertThat(ProgramSpec.parse(new JsonObject().put("name", "stage").put("deliverOnly", true)).deliverOnly()).isTrue();
    assertThat(fields(() -> ProgramSpec.parse(new JsonObject().put("name", "stage").put("deliverOnly", true)
        .put("command", "x")))).containsExactly("command");
  }

  /** An exit code cannot mean both plain success and reboot-required. */
  @Test
  void overlappingExitCodesRefused() {
    assertThatThrownBy(() -> ProgramSpec.parse(new JsonObject().put("name", "p").put("command", "x")
        .put("successExitCodes", new JsonArray().add(0).add(3010)))).isInstanceOf(DomainError.class)
        .hasMessageContaining("rebootExitCodes");
  }

  /** Distribution targets: exactly one of all, sites, depots. */
  @Test
  void distributionTargetNeedsExactlyOneForm() {
    assertThat(DistributionTarget.parse(new JsonObject().put("all", true))).isEqualTo(DistributionTarget.ALL);
    assertThat(DistributionTarget.parse(new JsonObject().put("sites", new JsonArray().add("berlin"))).kind())
        .isEqualTo(DistributionTarget.Kind.SITES);
    assertThat(fields(() -> DistributionTarget.parse(new JsonObject()))).containsExactly("all");
    assertThat(fields(() -> DistributionTarget.parse(new JsonObject().put("all", true)
        .put("depots", new JsonArray().add("d1"))))).containsExactly("all");
  }

  /** The agent's tally line is summed per rollout; reboot-required follows the signed program, not the agent. */
  @Test
  void tallyAndRebootRequired() {
    ContentTally t = ContentTally.parse("ok\nfleetcast-content: origin=0 depot=10 peer=20 cache=0 source=peer");
    assertThat(t.plus(ContentTally.parse("fleetcast-content: origin=5 depot=0 peer=0 cache=0 source=origin")))
        .isEqualTo(new ContentTally(5, 10, 20, 0, null));
    assertThat(ContentTally.parse("no line")).isEqualTo(ContentTally.NONE);
    JsonObject spec = new JsonObject().put("reboot", "ifRequired").put("rebootExitCodes", new JsonArray().add(3010));
    assertThat(RolloutDownloads.rebootRequired("succeeded", 3010, spec)).isTrue();
    assertThat(RolloutDownloads.rebootRequired("succeeded", 0, spec)).isFalse();
    assertThat(RolloutDownloads.rebootRequired("failed", 3010, spec)).isFalse();
    assertThat(RolloutDownloads.rebootRequired("succeeded", 3010, spec.copy().put("reboot", "never"))).isFalse();
    assertThat(RolloutDownloads.rebootRequired("succeeded", 0, spec.copy().put("reboot", "always"))).isTrue();
  }
}
