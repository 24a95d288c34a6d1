package io.fleetcast.protocol.task;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One shape a kind's spec can take. Most kinds have one; {@code install} has the URL form, the
 * catalog request an operator writes ({@code package}) and the resolved catalog spec agents get
 * ({@code sources}). A spec holding the {@code selector} field is read in that form; a spec without
 * any form's selector in the default form (selector null).
 *
 * @param name how the docs name the form ("catalog"); the default form's name is the empty string
 * @param examples valid specs of this form, checked by the tests and shown in the docs
 */
public record SpecForm(String name, String selector, Set<SpecStage> stages, List<SpecField> fields,
    List<JsonObject> examples) {

  public SpecForm {
    stages = Set.copyOf(stages);
    fields = List.copyOf(fields);
    examples = List.copyOf(examples);
  }

  /** The default form, at both stages (what the operator writes is what the agent gets). */
  public static SpecForm of(List<SpecField> fields, String... examples) {
    return new SpecForm("", null, Set.of(SpecStage.values()), fields, parse(examples));
  }

  /** A form chosen by the presence of {@code selector}, at the given stage only. */
  public static SpecForm selected(String name, String selector, SpecStage stage, List<SpecField> fields,
      String... examples) {
    return new SpecForm(name, selector, Set.of(stage), fields, parse(examples));
  }

  public Optional<SpecField> field(String fieldName) {
    return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
  }

  public List<String> fieldNames() {
    return fields.stream().map(SpecField::name).toList();
  }

  public boolean isDefault() {
    return selector == null;
  }

  private static List<JsonObject> parse(String... examples) {
    return java.util.Arrays.stream(examples).map(JsonObject::new).toList();
  }
}
