package io.fleetcast.protocol.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry: every kind and form is documented by examples that its own descriptor accepts. */
class TaskKindsTest {

  /** Every form of every kind has at least one example, and each example is valid at each stage of its form. */
  @Test
  void everyKindValidatesItsDocumentedExamples() {
    for (TaskKind kind : TaskKinds.ALL) {
      for (SpecForm form : kind.forms()) {
        assertThat(form.examples()).as("examples of %s %s", kind.name(), form.name()).isNotEmpty();
        for (JsonObject example : form.examples()) {
          for (SpecStage stage : form.stages()) {
            assertThat(kind.formFor(stage, example)).as("form of %s at %s", example.encode(), stage).isEqualTo(form);
            assertThat(SpecValidator.check(kind, stage, example)).as("%s %s at %s", kind.name(), example.encode(), stage)
                .isEmpty();
          }
        }
      }
    }
  }

  /** Kind names are unique and listed alphabetically in errors; field names are unique within a form. */
  @Test
  void namesAreUnique() {
    assertThat(TaskKinds.names()).doesNotHaveDuplicates()
        .containsExactly("agentUpdate", "exec", "install", "inventory", "power", "service");
    for (TaskKind kind : TaskKinds.ALL) {
      assertThat(TaskKinds.find(kind.name())).contains(kind);
      for (SpecForm form : kind.forms()) {
        assertThat(form.fieldNames()).as("%s %s", kind.name(), form.name()).doesNotHaveDuplicates();
        if (!form.isDefault()) {
          assertThat(form.fieldNames()).as("the selector of %s %s is a field", kind.name(), form.name())
              .contains(form.selector());
        }
      }
    }
    assertThat(TaskKinds.find("teleport")).isEmpty();
  }

  /** The operator writes the catalog request, the agent gets the resolved catalog spec; both fall back to the URL form. */
  @Test
  void installFormsByStage() {
    JsonObject request = new JsonObject().put("package", "hello@1.0").put("program", "run");
    JsonObject resolved = new JsonObject().put("package", "hello@1.0").put("sources", new io.vertx.core.json.JsonArray());
    Set<String> names = new HashSet<>();
    TaskKinds.INSTALL.forms().forEach(f -> names.add(f.name()));

    assertThat(TaskKinds.INSTALL.formFor(SpecStage.REQUEST, request).name()).isEqualTo("catalog");
    assertThat(TaskKinds.INSTALL.formFor(SpecStage.TASK, resolved).name()).isEqualTo("resolved catalog");
    assertThat(TaskKinds.INSTALL.formFor(SpecStage.TASK, request).isDefault()).isTrue();
    assertThat(TaskKinds.INSTALL.formFor(SpecStage.REQUEST, new JsonObject().put("url", "https://x")).isDefault())
        .isTrue();
    assertThat(names).containsExactlyInAnyOrder("", "catalog", "resolved catalog");
  }
}
