package io.nodb.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The decoded fields of a legacy (format 0, jsonpickle) controller file, as a {@link LegacyMapping}
 * sees them. Every field a mapping reads through this object counts as <em>mapped</em>; every other
 * field is kept verbatim in the format-1 file's {@code legacy} section (see {@code
 * docs/migrating.md}). Values are in the decoder's clean shapes: tuples and sets are arrays, an
 * object carries its Python class in {@code "@class"}, an enum is {@code {"@class": T, "@enum":
 * v}}.
 *
 * <p>Not thread-safe: one mapping call reads it on one thread.
 */
public final class LegacyState {

  private final String pythonClass;
  private final ObjectNode fields;
  private final Set<String> mapped = new LinkedHashSet<>();

  LegacyState(String pythonClass, ObjectNode fields) {
    this.pythonClass = pythonClass;
    this.fields = fields;
  }

  /** Returns the Python class of the file's top-level object. */
  public String pythonClass() {
    return pythonClass;
  }

  /** Returns whether the file has {@code field} (does not count as mapping it). */
  public boolean has(String field) {
    return fields.has(field);
  }

  /**
   * Returns a copy of a field's decoded value, or a missing node; the field counts as mapped.
   *
   * @param field the Python attribute name, e.g. {@code _climatestation}
   * @return its value
   */
  public JsonNode get(String field) {
    mapped.add(field);
    JsonNode v = fields.get(field);
    return v == null ? MissingNode.getInstance() : v.deepCopy();
  }

  /**
   * Returns a field as text (numbers as their digits), or null when absent, null or empty.
   *
   * @param field the field
   * @return the text or null
   * @throws IllegalArgumentException if it is an object or array
   */
  public String text(String field) {
    JsonNode v = get(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new IllegalArgumentException(field + " is " + v.getNodeType() + ", not text");
    }
    return v.asText().isEmpty() ? null : v.asText();
  }

  /**
   * Returns a field as an integer, or null when absent, null or an empty string (Python runs store
   * unset years as {@code ""}).
   *
   * @param field the field
   * @return the value or null
   * @throws IllegalArgumentException if it holds something else
   */
  public Integer integer(String field) {
    JsonNode v = get(field);
    if (v.isMissingNode() || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.asInt();
    }
    if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
      return (int) v.asDouble();
    }
    if (v.isTextual() && v.asText().trim().matches("-?\\d{1,9}")) {
      return Integer.parseInt(v.asText().trim());
    }
    throw new IllegalArgumentException(field + " is " + v + ", not an integer");
  }

  /**
   * Returns a field as a number, or null when absent, null or an empty string.
   *
   * @param field the field
   * @return the value or null
   * @throws IllegalArgumentException if it holds something else
   */
  public Double number(String field) {
    JsonNode v = get(field);
    if (v.isMissingNode() || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
      return null;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    try {
      return Double.parseDouble(v.asText().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is " + v + ", not a number", e);
    }
  }

  /**
   * Returns the value of an enum field: {@code @enum} of a decoded {@code py/reduce} enum (either
   * shape), or a plain integer; null when absent or null.
   *
   * @param field the field
   * @return the enum's value or null
   * @throws IllegalArgumentException if it is not an enum
   */
  public JsonNode enumValue(String field) {
    JsonNode v = get(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (v.isObject() && v.has("@enum")) {
      return v.get("@enum");
    }
    if (v.isValueNode()) {
      return v;
    }
    throw new IllegalArgumentException(field + " is " + v.getNodeType() + ", not an enum");
  }

  /** Returns the names of every field of the file, in file order (does not map them). */
  public java.util.List<String> names() {
    java.util.List<String> names = new java.util.ArrayList<>();
    fields.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Returns the names of the fields read so far, in reading order. */
  public Set<String> mapped() {
    return Collections.unmodifiableSet(mapped);
  }
}
