package io.nodb.controllers;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.LegacyState;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A part of a controller state mapped from a Python object: its typed fields plus every other field
 * of the object (its Python class in {@code "@class"} included) in {@link #extra}, written back
 * beside the typed ones by every dump, so mapping an object never drops a field. A plain Jackson
 * bean; not thread-safe (mutate only inside {@code locked()}).
 */
public abstract class WithExtras {

  /** Fields of the Python object that have no typed field here, by their Python names. */
  private final Map<String, JsonNode> extra = new TreeMap<>();

  /** Whether a typed field could not hold its Python value exactly (not serialized). */
  private boolean lossy;

  /** Returns the untyped fields (a live map). */
  @JsonAnyGetter
  public Map<String, JsonNode> extra() {
    return extra;
  }

  /**
   * Keeps one untyped field.
   *
   * @param name its name
   * @param value its value
   */
  @JsonAnySetter
  public void extra(String name, JsonNode value) {
    extra.put(name, value);
  }

  /** Puts every field of {@code from} except {@code typed} into {@link #extra()}. */
  final void keepOthers(JsonNode from, Set<String> typed) {
    if (from instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (!typed.contains(e.getKey())) {
          extra.put(e.getKey(), e.getValue());
        }
      }
    }
  }

  /**
   * Returns whether some typed field of this part did not hold its Python value exactly (another
   * JSON type, a converted number, a missing shape): the mapping then keeps the whole original
   * field verbatim too ({@code LegacyState.keep}), so nothing is coerced away.
   */
  final boolean lossy() {
    return lossy;
  }

  /** Marks this part as not holding its original exactly. */
  final void markLossy() {
    lossy = true;
  }

  /**
   * A typed number: exact for a JSON float a double holds exactly ({@link
   * LegacyState#exactDouble}); converted (lossy) or null (lossy) otherwise.
   */
  final @Nullable Double exactNumber(@Nullable JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    Double exact = LegacyState.exactDouble(n);
    if (exact != null) {
      return exact;
    }
    lossy = true;
    return LegacyState.nearestDouble(n);
  }

  /** A typed integer: exact for a JSON integer in range; null (lossy) otherwise. */
  final @Nullable Integer exactInteger(@Nullable JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToInt()) {
      return n.asInt();
    }
    lossy = true;
    return n.isTextual() && n.asText().trim().matches("-?\\d{1,9}")
        ? Integer.valueOf(n.asText().trim())
        : null;
  }

  /** A typed text: exact for a JSON string; a number's text (lossy) or null (lossy) otherwise. */
  final @Nullable String exactText(@Nullable JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    lossy = true;
    return n.isValueNode() ? n.asText() : null;
  }
}
