package io.nodb.controllers;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A part of a controller state mapped from a Python object: its typed fields plus every other field
 * of the object (its Python class in {@code "@class"} included) in {@link #extra}, written back
 * beside the typed ones by every dump, so mapping an object never drops a field. A plain Jackson
 * bean; not thread-safe (mutate only inside {@code locked()}).
 */
public abstract class WithExtras {

  /** Fields of the Python object that have no typed field here, by their Python names. */
  private final Map<String, JsonNode> extra = new TreeMap<>();

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

  static Double number(JsonNode n) {
    return n == null || !n.isNumber() ? null : n.asDouble();
  }

  static Integer integer(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isIntegralNumber() && n.canConvertToInt()) {
      return n.asInt();
    }
    if (n.isTextual() && n.asText().trim().matches("-?\\d{1,9}")) {
      return Integer.parseInt(n.asText().trim());
    }
    throw new IllegalArgumentException("expected an integer, found " + n);
  }
}
