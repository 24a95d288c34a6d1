package io.fleetcast.protocol.task;

/** The JSON shape of a spec field; {@link SpecField} says which bounds apply to each. */
public enum FieldType {
  /** A string; bounds: at most {@code max} characters, optional allowed values and pattern. */
  STRING,
  /** A whole number between {@code min} and {@code max}. */
  INTEGER,
  /** {@code true} or {@code false}. */
  BOOLEAN,
  /** An RFC 3339 time string. */
  INSTANT,
  /** An array of at most {@code maxItems} non-empty strings, each at most {@code max} characters. */
  STRING_LIST,
  /** An array of at most {@code maxItems} whole numbers, each between {@code min} and {@code max}. */
  INTEGER_LIST,
  /** An array of at most {@code maxItems} objects (their content is the kind's semantic check). */
  OBJECT_LIST,
  /** An object whose every value is a string (e.g. environment variables). */
  STRING_MAP
}
