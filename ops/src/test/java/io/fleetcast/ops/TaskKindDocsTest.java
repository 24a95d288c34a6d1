package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.task.SpecField;
import io.fleetcast.protocol.task.SpecForm;
import io.fleetcast.protocol.task.SpecStage;
import io.fleetcast.protocol.task.SpecValidator;
import io.fleetcast.protocol.task.TaskKind;
import io.fleetcast.protocol.task.TaskKinds;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The docs list exactly the task kinds of the protocol's registry, each with exactly its descriptor's fields. */
class TaskKindDocsTest {

  private static String read(String file) throws IOException {
    return Files.readString(Repo.path(file));
  }

  /** {"exec" -> its fields, "install (catalog)" -> ...}: every form an operator writes, named as the README does. */
  private static Map<String, Set<String>> requestForms() {
    Map<String, Set<String>> forms = new LinkedHashMap<>();
    for (TaskKind kind : TaskKinds.ALL) {
      for (SpecForm form : kind.formsAt(SpecStage.REQUEST)) {
        forms.put(form.isDefault() ? kind.name() : kind.name() + " (" + form.name() + ")",
            new LinkedHashSet<>(form.fieldNames()));
      }
    }
    return forms;
  }

  private static Map<String, Set<String>> defaultForms() {
    Map<String, Set<String>> forms = new LinkedHashMap<>();
    TaskKinds.ALL.forEach(k -> forms.put(k.name(), new LinkedHashSet<>(k.defaultForm().fieldNames())));
    return forms;
  }

  /** The README's "Task kinds (agent-lite)" table: one row per kind and form, with exactly its fields. */
  @Test
  void readmeTableListsEveryKindWithItsFields() throws IOException {
    Map<String, Set<String>> table = TaskKindDocs.kindTable(TaskKindDocs.section(read("README.md"),
        "## Task kinds (agent-lite)"));

    assertThat(table).isEqualTo(requestForms());
  }

  /** agent-lite's README "Task kinds" table: one row per kind, with exactly the fields of its plain form. */
  @Test
  void agentReadmeTableListsEveryKindWithItsFields() throws IOException {
    Map<String, Set<String>> table = TaskKindDocs.kindTable(TaskKindDocs.section(read("agent-lite/README.md"),
        "## Task kinds"));

    assertThat(table).isEqualTo(defaultForms());
  }

  /** docs/protocol.md lists every kind with every field of its plain form, and names nothing else but allowed values. */
  @Test
  void protocolListsEveryKindWithItsFields() throws IOException {
    Map<String, Set<String>> listed = TaskKindDocs.kindList(TaskKindDocs.section(read("docs/protocol.md"),
        "### Task kinds and their `spec`"));

    assertThat(listed.keySet()).containsExactlyElementsOf(TaskKinds.ALL.stream().map(TaskKind::name).toList());
    for (TaskKind kind : TaskKinds.ALL) {
      Set<String> fieldsAndValues = new LinkedHashSet<>(kind.defaultForm().fieldNames());
      kind.defaultForm().fields().stream().map(SpecField::allowed).forEach(fieldsAndValues::addAll);
      assertThat(listed.get(kind.name())).as(kind.name())
          .containsAll(kind.defaultForm().fieldNames())
          .isSubsetOf(fieldsAndValues);
    }
  }

  /** docs/protocol.md's "Install from a package" names every field of the spec the gateway resolves a catalog install into. */
  @Test
  void protocolDescribesTheResolvedInstall() throws IOException {
    Set<String> described = TaskKindDocs.codes(String.join("\n", TaskKindDocs.section(read("docs/protocol.md"),
        "### Install from a package *(addition)*")));
    SpecForm resolved = TaskKinds.INSTALL.formsAt(SpecStage.TASK).stream().filter(f -> !f.isDefault())
        .findFirst().orElseThrow();

    assertThat(described).containsAll(resolved.fieldNames());
  }

  /** The readers see what a table, a list and an example say: kinds, forms, fields, and not the explanations. */
  @Test
  void readersTakeKindsFormsAndFields() {
    String md = String.join("\n", "## Kinds", "", "| kind | spec | notes |", "|---|---|---|",
        "| `exec` | `command`, `args` | runs `sh` |", "| `install` (catalog) | `package` (see [x](#y), `z`) | - |",
        "", "- `power` *(addition)*: `action` (`reboot`|`logoff`),", "  `message` — shows `text`", "",
        "{\"kind\": \"exec\", \"spec\": {\"command\": \"x\", \"env\": {\"A\": \"b\"}}}", "## Next", "| `teleport` | x | |");

    assertThat(TaskKindDocs.kindTable(TaskKindDocs.section(md, "## Kinds")))
        .isEqualTo(Map.of("exec", Set.of("command", "args"), "install (catalog)", Set.of("package")));
    assertThat(TaskKindDocs.kindList(TaskKindDocs.section(md, "## Kinds")))
        .isEqualTo(Map.of("power", Set.of("action", "reboot", "logoff", "message")));
    assertThat(TaskKindDocs.steps(md)).containsExactly(
        new TaskKindDocs.Step("exec", "{\"command\": \"x\", \"env\": {\"A\": \"b\"}}"));
  }

  /** Every step example in the README and docs/api.md is a spec the gateway accepts. */
  @Test
  void documentedStepsAreValid() throws IOException {
    int checked = 0;
    for (String file : List.of("README.md", "docs/api.md", "agent-lite/README.md", "fleetctl/README.md")) {
      if (!Files.exists(Repo.path(file))) {
        continue;
      }
      for (TaskKindDocs.Step step : TaskKindDocs.steps(read(file))) {
        if (step.spec().contains("<")) {
          continue; // a placeholder such as <updateSpec from the answer above>
        }
        TaskKind kind = TaskKinds.find(step.kind()).orElse(null);
        assertThat(kind).as("%s: kind %s", file, step.kind()).isNotNull();
        assertThat(SpecValidator.check(kind, SpecStage.REQUEST, new JsonObject(step.spec())))
            .as("%s: %s %s", file, step.kind(), step.spec()).isEmpty();
        checked++;
      }
    }
    assertThat(checked).as("documented steps").isGreaterThanOrEqualTo(5);
  }
}
