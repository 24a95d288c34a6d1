package io.fleetcast.protocol.task;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a task kind's {@code spec} may hold (docs/protocol.md, "Task kinds and their spec"): its
 * forms with their fields, types, bounds and allowed values. The gateway and the agent both check
 * specs against it ({@link SpecValidator}); neither writes a bound of its own.
 */
public record TaskKind(String name, List<SpecForm> forms) {

  public TaskKind {
    forms = List.copyOf(forms);
    if (forms.stream().filter(f -> f.isDefault() && f.stages().size() == SpecStage.values().length).count() != 1) {
      throw new IllegalArgumentException("task kind " + name + " needs exactly one default form, at every stage");
    }
  }

  public static TaskKind of(String name, SpecForm... forms) {
    return new TaskKind(name, List.of(forms));
  }

  /** The form {@code spec} is read in at {@code stage}: the first whose selector it holds, else the default. */
  public SpecForm formFor(SpecStage stage, JsonObject spec) {
    return forms.stream().filter(f -> !f.isDefault() && f.stages().contains(stage) && spec.containsKey(f.selector()))
        .findFirst().orElse(defaultForm());
  }

  public SpecForm defaultForm() {
    return forms.stream().filter(SpecForm::isDefault).findFirst().orElseThrow();
  }

  public List<SpecForm> formsAt(SpecStage stage) {
    return forms.stream().filter(f -> f.stages().contains(stage)).toList();
  }
}
