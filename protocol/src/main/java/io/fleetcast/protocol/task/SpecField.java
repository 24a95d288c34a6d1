package io.fleetcast.protocol.task;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One field of a spec form with its bounds. Which bounds apply depends on the {@link FieldType}:
 * strings use {@code max} as their length, allowed values and the pattern; integers {@code min} and
 * {@code max} as the value range; lists {@code maxItems}, and {@code max} (string length) or
 * {@code min}/{@code max} (values) per item. Built with the factories and the {@code required()},
 * {@code oneOf(...)} and {@code matching(...)} refinements, e.g.
 * {@code SpecField.integer("timeoutSeconds", 1, 604800)}.
 *
 * @param mandatory whether the field must be present (and, for a string, not blank)
 * @param rule what the pattern means, as the error message says it ("must be 64 hex digits")
 */
public record SpecField(String name, FieldType type, boolean mandatory, long min, long max, int maxItems,
    List<String> allowed, Pattern pattern, String rule) {

  public SpecField {
    allowed = List.copyOf(allowed);
  }

  public static SpecField string(String name, int maxLength) {
    return new SpecField(name, FieldType.STRING, false, 0, maxLength, 0, List.of(), null, null);
  }

  public static SpecField integer(String name, long min, long max) {
    return new SpecField(name, FieldType.INTEGER, false, min, max, 0, List.of(), null, null);
  }

  public static SpecField bool(String name) {
    return new SpecField(name, FieldType.BOOLEAN, false, 0, 0, 0, List.of(), null, null);
  }

  public static SpecField instant(String name) {
    return new SpecField(name, FieldType.INSTANT, false, 0, 0, 0, List.of(), null, null);
  }

  public static SpecField strings(String name, int maxItems, int maxLength) {
    return new SpecField(name, FieldType.STRING_LIST, false, 0, maxLength, maxItems, List.of(), null, null);
  }

  public static SpecField integers(String name, int maxItems, long min, long max) {
    return new SpecField(name, FieldType.INTEGER_LIST, false, min, max, maxItems, List.of(), null, null);
  }

  public static SpecField objects(String name, int maxItems) {
    return new SpecField(name, FieldType.OBJECT_LIST, false, 0, 0, maxItems, List.of(), null, null);
  }

  public static SpecField stringMap(String name) {
    return new SpecField(name, FieldType.STRING_MAP, false, 0, 0, 0, List.of(), null, null);
  }

  /** The field must be present (and, for a string, not blank). */
  public SpecField required() {
    return new SpecField(name, type, true, min, max, maxItems, allowed, pattern, rule);
  }

  /** A string that must be exactly one of {@code values} (listed in this order in the error). */
  public SpecField oneOf(String... values) {
    return new SpecField(name, type, mandatory, min, max, maxItems, List.of(values), pattern, rule);
  }

  /** A string that must match {@code regex} in full; {@code rule} is the error message. */
  public SpecField matching(String regex, String rule) {
    return new SpecField(name, type, mandatory, min, max, maxItems, allowed, Pattern.compile(regex), rule);
  }
}
