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
 * docs/migrating.md}), and so is every field a mapping read but could not represent exactly ({@link
 * #keep}). Values are in the decoder's clean shapes: tuples and sets are arrays, an object carries
 * its Python class in {@code "@class"}, an enum is {@code {"@class": T, "@enum": v}}.
 *
 * <p>Not thread-safe: one mapping call reads it on one thread.
 */
public final class LegacyState {

  private final String pythonClass;
  private final ObjectNode fields;
  private final Set<String> mapped = new LinkedHashSet<>();
  private final Set<String> keptToo = new LinkedHashSet<>();

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
   * Keeps a field verbatim in the format-1 file's {@code legacy} section although the mapping read
   * it: the typed state does not hold its value <em>exactly</em> (another JSON type, a number that
   * had to be converted, a shape the state cannot represent). The rule is that a mapped field is
   * never coerced away: what the state cannot represent exactly stays in its original form. The
   * typed accessors call this themselves; a mapping that reads a field with {@link #get} calls it
   * for values it cannot represent exactly.
   *
   * @param field the field
   */
  public void keep(String field) {
    mapped.add(field);
    keptToo.add(field);
  }

  /**
   * Returns a field as text, or null when absent or null. A string is exact (an empty string is
   * returned as null and the original kept, see {@link #keep}); a number or boolean is returned as
   * its text and the original kept; an object or array gives null and the original kept.
   *
   * @param field the field
   * @return the text or null
   */
  public String text(String field) {
    JsonNode v = get(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (v.isTextual() && !v.asText().isEmpty()) {
      return v.asText();
    }
    keep(field);
    return v.isValueNode() && !v.asText().isEmpty() ? v.asText() : null;
  }

  /**
   * Returns a field as an integer, or null when absent or null. Only a JSON integer within the
   * {@code int} range is exact. Anything else is kept verbatim (see {@link #keep}) and gives null,
   * never a clamped or rounded number ({@code 1.5e3}, {@code 12.0}, {@code 1e20}, {@code true}) —
   * except a string of at most nine digits (Python runs store some numbers as text) and a blank
   * string (unset years are {@code ""}), read as that integer or null with the original kept.
   *
   * @param field the field
   * @return the value or null
   */
  public Integer integer(String field) {
    JsonNode v = get(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.asInt();
    }
    keep(field);
    if (v.isTextual() && v.asText().trim().matches("-?\\d{1,9}")) {
      return Integer.parseInt(v.asText().trim());
    }
    return null;
  }

  /**
   * Returns a field as a number, or null when absent or null. Only a JSON float is exact. An
   * integer or a numeric string is converted and the original kept (see {@link #keep}); anything
   * else (a number no {@code double} holds, other text, booleans, objects) gives null, kept.
   *
   * @param field the field
   * @return the value or null
   */
  public Double number(String field) {
    JsonNode v = get(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (v.isFloatingPointNumber() && Double.isFinite(v.asDouble()) && !v.isBigDecimal()) {
      return v.asDouble();
    }
    keep(field);
    if (v.isNumber() && Double.isFinite(v.asDouble())) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      try {
        double d = Double.parseDouble(v.asText().trim());
        return Double.isFinite(d) ? d : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * Returns the value of an enum field: {@code @enum} of a decoded {@code py/reduce} enum (either
   * shape), or a plain value; null when absent or null.
   *
   * @param field the field
   * @return the enum's value, or null (also for a value that is no enum; the original is then kept,
   *     as is every decoded enum object, whose class this does not return: see {@link #keep})
   */
  public JsonNode enumValue(String field) {
    JsonNode v = get(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (v.isValueNode()) {
      return v;
    }
    // the enum's class (and anything else beside its value) is not in what this returns
    keep(field);
    return v.isObject() && v.has("@enum") ? v.get("@enum") : null;
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

  /** Returns the fields read but kept verbatim too (see {@link #keep}), in reading order. */
  public Set<String> keptVerbatim() {
    return Collections.unmodifiableSet(keptToo);
  }
}
