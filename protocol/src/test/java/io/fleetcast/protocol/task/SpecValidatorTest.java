package io.fleetcast.protocol.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks of a spec against its descriptor: one error per field, paths relative to the spec. */
class SpecValidatorTest {

  private static List<SpecError> request(TaskKind kind, JsonObject spec) {
    return SpecValidator.check(kind, SpecStage.REQUEST, spec);
  }

  /** Each field type reports its first problem with the field's path; items and map values by index and key. */
  @Test
  void typesAndBounds() {
    JsonObject spec = new JsonObject().put("command", "").put("args", new JsonArray().add("ok").add(1))
        .put("shell", "yes").put("timeoutSeconds", 0).put("env", new JsonObject().put("A", "x").put("B", 2));

    assertThat(request(TaskKinds.EXEC, spec)).containsExactly(
        new SpecError("command", "must not be empty"),
        new SpecError("args[1]", "must be a non-empty string of at most 8192 characters"),
        new SpecError("shell", "must be true or false"),
        new SpecError("timeoutSeconds", "must be between 1 and 604800"),
        new SpecError("env.B", "must be a string"));
    assertThat(request(TaskKinds.EXEC, new JsonObject().put("command", "x").put("timeoutSeconds", 1.5)))
        .containsExactly(new SpecError("timeoutSeconds", "must be an integer"));
    assertThat(request(TaskKinds.EXEC, null)).containsExactly(new SpecError("command", "is required"));
  }

  /** Allowed values, patterns and lengths: the length is checked before the pattern. */
  @Test
  void allowedValuesAndPatterns() {
    assertThat(request(TaskKinds.SERVICE, new JsonObject().put("name", "--now").put("action", "Restart")))
        .extracting(SpecError::path, SpecError::message).containsExactly(
            org.assertj.core.groups.Tuple.tuple("name", TaskKinds.SERVICE.defaultForm().field("name").orElseThrow().rule()),
            org.assertj.core.groups.Tuple.tuple("action", "must be one of start, stop, restart, status"));
    JsonObject install = new JsonObject().put("url", "ftp://x").put("sha256", "a".repeat(65));
    assertThat(request(TaskKinds.INSTALL, install)).containsExactly(
        new SpecError("url", "must be an http(s) URL"), new SpecError("sha256", "must be at most 64 characters"));
  }

  /** Unknown fields are refused in a rollout request and ignored by agents (a newer gateway may add fields). */
  @Test
  void unknownFieldsByStage() {
    JsonObject spec = new JsonObject().put("full", true);

    assertThat(request(TaskKinds.INVENTORY, spec)).containsExactly(new SpecError("full", "unknown field"));
    assertThat(SpecValidator.check(TaskKinds.INVENTORY, SpecStage.TASK, spec)).isEmpty();
    assertThat(new SpecError("args[0]", "must be a string").reason()).isEqualTo("spec.args[0] must be a string");
  }

  /** Null values count as absent; sizes beyond an int are whole numbers like any other. */
  @Test
  void nullsAndLongs() {
    JsonObject spec = new JsonObject().put("url", "https://x/big.iso").put("sha256", "b".repeat(64))
        .put("size", 5_000_000_000L).putNull("command");

    assertThat(SpecValidator.check(TaskKinds.INSTALL, SpecStage.TASK, spec)).isEmpty();
    assertThat(SpecValidator.check(TaskKinds.INSTALL, SpecStage.TASK, spec.copy().put("size", -1)))
        .containsExactly(new SpecError("size", "must be between 0 and " + Long.MAX_VALUE));
  }
}
