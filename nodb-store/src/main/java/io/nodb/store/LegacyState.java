package io.nodb.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
  public @Nullable String text(String field) {
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
  public @Nullable Integer integer(String field) {
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
   * Returns a field as a number, or null when absent or null. Only a JSON float that a {@code
   * double} holds exactly is exact (its shortest decimal form has the file's value: {@code 26.5},
   * {@code 0.30000000000000004}). A float that rounds to a double ({@code 47.1234567890123456789}),
   * an integer or a numeric string is converted and the original kept (see {@link #keep}); anything
   * else (a nonzero float that rounds to zero such as {@code 1e-400}, a number beyond a double,
   * other text, booleans, objects) gives null, kept.
   *
   * @param field the field
   * @return the value or null
   */
  public @Nullable Double number(String field) {
    JsonNode v = get(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    Double exact = exactDouble(v);
    if (exact != null) {
      return exact;
    }
    keep(field);
    if (v.isNumber()) {
      return nearestDouble(v);
    }
    if (v.isTextual() && v.asText().length() <= 1000) { // as long as a JSON number may be
      try {
        return nearestDouble(
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(
                new java.math.BigDecimal(v.asText().trim())));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * Returns the {@code double} a JSON float denotes exactly, or null: for anything else, and for a
   * float no {@code double} holds exactly (the store reads every float as the exact decimal of the
   * file, so {@code 1e-400} or a mantissa longer than a double's is seen as such, not rounded).
   * "Exactly" means the double's shortest decimal form ({@link Double#toString}) has the same
   * value, so writing the double gives the file's number back. Mappings use it for every typed
   * number.
   *
   * @param v a decoded value
   * @return the double, or null when {@code v} is no float a double holds exactly
   */
  public static @Nullable Double exactDouble(JsonNode v) {
    if (v == null || !v.isFloatingPointNumber()) {
      return null;
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      return null;
    }
    if (!v.isBigDecimal()) {
      return d;
    }
    return new java.math.BigDecimal(Double.toString(d)).compareTo(v.decimalValue()) == 0 ? d : null;
  }

  /**
   * Returns the double nearest a JSON number, or null when there is none worth the name: beyond the
   * range of a double, or a nonzero value that rounds to zero (its magnitude would be lost, not
   * rounded).
   *
   * @param v a number node
   * @return the nearest double, or null
   */
  public static @Nullable Double nearestDouble(JsonNode v) {
    if (v == null || !v.isNumber()) {
      return null;
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      return null;
    }
    if (d == 0.0 && v.isBigDecimal() && v.decimalValue().signum() != 0) {
      return null;
    }
    if (d == 0.0 && v.isBigInteger() && v.bigIntegerValue().signum() != 0) {
      return null;
    }
    return d;
  }

  /**
   * Returns the value of an enum field: {@code @enum} of a decoded {@code py/reduce} enum (either
   * shape), or a plain value; null when absent or null.
   *
   * @param field the field
   * @return the enum's value, or null (also for a value that is no enum; the original is then kept,
   *     as is every decoded enum object, whose class this does not return: see {@link #keep})
   */
  public @Nullable JsonNode enumValue(String field) {
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
