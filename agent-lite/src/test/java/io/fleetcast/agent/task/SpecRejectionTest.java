package io.fleetcast.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.task.kinds.ExecKind;
import io.fleetcast.agent.task.kinds.PowerKind;
import io.fleetcast.agent.task.kinds.ServiceKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The agent rejects a spec by the protocol's task-kind descriptor, the one the gateway checks rollouts with. */
class SpecRejectionTest {

  /** Every problem is named with its spec path; a valid spec has no reason. */
  @Test
  void reasonNamesEveryField() {
    TaskKind exec = new ExecKind(null, null, Duration.ofMinutes(1));
    JsonObject spec = new JsonObject().put("command", "x").put("timeoutSeconds", 0)
        .put("env", new JsonObject().put("A", 1));

    assertThat(exec.validate(spec))
        .isEqualTo("spec.timeoutSeconds must be between 1 and 604800; spec.env.A must be a string");
    assertThat(exec.validate(new JsonObject().put("command", "x"))).isNull();
    assertThat(exec.validate(new JsonObject())).isEqualTo("spec.command is required");
  }

  /** Fields a newer gateway may add are ignored; a kind the protocol does not describe has nothing to check. */
  @Test
  void unknownFieldsAndKinds() {
    assertThat(SpecRejection.reason("exec", new JsonObject().put("command", "x").put("cwd", "/"))).isNull();
    assertThat(SpecRejection.reason("teleport", new JsonObject().put("anything", 1))).isNull();
  }

  /** Where agent and gateway used to differ, the agent now refuses what the gateway refuses. */
  @Test
  void boundsOnceDifferentAreTheGatewaysNow() {
    TaskKind service = new ServiceKind(null);
    TaskKind power = new PowerKind(null, null, null, null);

    assertThat(service.validate(new JsonObject().put("name", "nginx").put("action", "RESTART")))
        .contains("spec.action must be one of start, stop, restart, status");
    assertThat(service.validate(new JsonObject().put("name", "--now").put("action", "stop"))).contains("spec.name");
    assertThat(power.validate(new JsonObject().put("action", "reboot").put("message", "x".repeat(1025))))
        .contains("spec.message must be at most 1024 characters");
    assertThat(SpecRejection.reason("exec", new JsonObject().put("command", "x").put("args", new JsonArray().add(""))))
        .contains("spec.args[0]");
  }
}
