package io.nodb.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.NoDbLegacyFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a jsonpickle document (the Python NoDb's format 0) into a clean JSON tree that keeps the
 * Python class of every object, refusing what it does not understand. One decoder per document: not
 * thread-safe, not reusable.
 *
 * <p>Shapes of the clean tree:
 *
 * <ul>
 *   <li>{@code {"py/object": T, ...}} (fields, or fields under {@code py/state}) becomes {@code
 *       {"@class": T, ...fields}}; a {@code py/state} that is not an object becomes {@code
 *       "@state"}; {@code py/newargs}, {@code py/newargsex}, {@code py/initargs} and {@code py/seq}
 *       become {@code "@newargs"}, {@code "@newargsex"}, {@code "@initargs"} and {@code "@seq"}.
 *   <li>{@code py/tuple} and {@code py/set} become arrays.
 *   <li>An enum, {@code {"py/reduce": [{"py/type": T}, {"py/tuple": [v]}]}} (newer wepppy) or the
 *       same with three trailing nulls (older), becomes {@code {"@class": T, "@enum": v}}; any
 *       other {@code py/reduce} becomes {@code {"@class": T, "@reduce": [...]}} (T from a leading
 *       {@code py/type}, else absent).
 *   <li>{@code {"py/type": T}} alone becomes {@code {"@type": T}}.
 *   <li>{@code py/b64} becomes {@code {"@class": "builtins.bytes", "@bytes": [0..255, ...]}}.
 *   <li>A {@code numpy.ndarray} object becomes {@code {"@class": "numpy.ndarray", "dtype": d,
 *       "shape": [...], "values": nested arrays}}, whether its values were a list or base64 bytes.
 *   <li>{@code py/id} (0-based from the top-level object, numbering dicts, lists, objects, {@code
 *       py/state} dicts and {@code py/reduce} values, parents before children, and within an object
 *       its arguments, plain fields, {@code py/seq} items and {@code py/state}, as jsonpickle 2 to
 *       4's unpickler does; tuples, sets, bytes and {@code py/type} are not numbered) and {@code
 *       py/ref} (a {@code /}-separated key path) are replaced by a copy of what they refer to.
 *   <li>A plain object key that starts with {@code @} gets one more {@code @} in front, so it
 *       cannot be taken for one of the keys above.
 * </ul>
 *
 * <p>Refused with {@link NoDbLegacyFormatException} (naming the tag and the JSON path): any other
 * {@code py/} tag, a reference to an object that contains the reference (a cycle) or to nothing, a
 * malformed tag value, nesting deeper than {@value #MAX_DEPTH}, and documents that would exceed the
 * node budget once references and bytes are expanded (so a small hostile file cannot exhaust
 * memory).
 */
public final class LegacyDecoder {

  /** The deepest nesting decoded. */
  public static final int MAX_DEPTH = 400;

  /** The default budget of decoded JSON nodes per document. */
  public static final long DEFAULT_MAX_NODES = 2_000_000;

  /** The tags this decoder understands. */
  public static final Set<String> TAGS =
      Set.of(
          "py/object",
          "py/state",
          "py/tuple",
          "py/set",
          "py/reduce",
          "py/type",
          "py/id",
          "py/ref",
          "py/b64",
          "py/newargs",
          "py/newargsex",
          "py/initargs",
          "py/seq");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static final Set<String> OBJECT_TAGS =
      Set.of("py/object", "py/state", "py/newargs", "py/newargsex", "py/initargs", "py/seq");

  private final Path file;
  private final long maxNodes;
  private long nodes;
  private final List<JsonNode> numbered = new ArrayList<>();
  private final Map<String, JsonNode> byPath = new HashMap<>();
  private final List<Long> starts = new ArrayList<>();
  private final Map<JsonNode, Long> sizes = new IdentityHashMap<>();
  private static final JsonNode IN_PROGRESS = F.textNode("<in progress>");

  private LegacyDecoder(Path file, long maxNodes) {
    this.file = file;
    this.maxNodes = maxNodes;
  }

  /**
   * Decodes one legacy document.
   *
   * @param file the file, for messages
   * @param root its top-level object (it has a string {@code py/object})
   * @return the decoded document
   * @throws NoDbLegacyFormatException if it cannot be decoded
   */
  public static LegacyDocument decode(Path file, ObjectNode root) {
    return decode(file, root, DEFAULT_MAX_NODES);
  }

  /**
   * Decodes one legacy document with a node budget.
   *
   * @param file the file, for messages
   * @param root its top-level object
   * @param maxNodes how many decoded nodes at most
   * @return the decoded document
   * @throws NoDbLegacyFormatException if it cannot be decoded
   */
  public static LegacyDocument decode(Path file, ObjectNode root, long maxNodes) {
    return new LegacyDecoder(file, maxNodes).top(root);
  }

  private LegacyDocument top(ObjectNode root) {
    JsonNode cls = root.get("py/object");
    if (cls == null || !cls.isTextual() || cls.asText().isEmpty()) {
      throw refuse("py/object", "$", "the top level needs a Python class name");
    }
    ObjectNode original;
    boolean wrapped;
    JsonNode state = root.get("py/state");
    if (state != null) {
      if (!state.isObject()) {
        throw refuse("py/state", "$", "the top-level state is not an object");
      }
      for (String k : iterable((ObjectNode) state)) {
        if (k.startsWith("py/")) {
          throw refuse(k, "$.py/state", "a tag in the top-level state");
        }
      }
      for (String k : iterable(root)) {
        if (!k.equals("py/object") && !k.equals("py/state")) {
          throw refuse(
              k.startsWith("py/") ? k : null, "$." + k, "a field beside the top-level py/state");
        }
      }
      original = (ObjectNode) state;
      wrapped = true;
    } else {
      original = F.objectNode();
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        if (e.getKey().startsWith("py/") && !e.getKey().equals("py/object")) {
          throw refuse(e.getKey(), "$", "a tag this build does not decode at the top level");
        }
        if (!e.getKey().equals("py/object")) {
          original.set(e.getKey(), e.getValue());
        }
      }
      wrapped = false;
    }
    // the top-level object is number 0 for py/id, as in jsonpickle's unpickler
    ObjectNode fields = F.objectNode();
    numbered.add(IN_PROGRESS);
    starts.add(0L);
    int stateDict = wrapped ? number(null) : -1;
    for (Map.Entry<String, JsonNode> e : original.properties()) {
      fields.set(escape(e.getKey()), value(e.getValue(), "$." + e.getKey(), "/" + e.getKey(), 1));
    }
    numbered.set(0, fields);
    if (stateDict >= 0) {
      numbered.set(stateDict, fields);
    }
    return new LegacyDocument(cls.asText(), fields, original, wrapped);
  }

  private JsonNode value(JsonNode n, String at, String refPath, int depth) {
    if (depth > MAX_DEPTH) {
      throw refuse(null, at, "nested deeper than " + MAX_DEPTH + " levels");
    }
    count(at, 1);
    if (n.isArray()) {
      int mine = number(refPath);
      ArrayNode out = F.arrayNode(n.size());
      for (int i = 0; i < n.size(); i++) {
        out.add(value(n.get(i), at + "[" + i + "]", refPath + "/" + i, depth + 1));
      }
      return done(mine, refPath, out);
    }
    if (!n.isObject()) {
      return finite(n, at);
    }
    ObjectNode o = (ObjectNode) n;
    String tag = firstTag(o);
    if (tag == null) {
      int mine = number(refPath);
      ObjectNode out = F.objectNode();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        out.set(
            escape(e.getKey()),
            value(e.getValue(), at + "." + e.getKey(), refPath + "/" + e.getKey(), depth + 1));
      }
      return done(mine, refPath, out);
    }
    if (o.has("py/object")) {
      return object(o, at, refPath, depth);
    }
    requireAlone(o, tag, at);
    JsonNode v = o.get(tag);
    switch (tag) {
      case "py/tuple", "py/set" -> {
        if (!v.isArray()) {
          throw refuse(tag, at, "expected an array");
        }
        ArrayNode out = F.arrayNode(v.size());
        for (int i = 0; i < v.size(); i++) {
          out.add(value(v.get(i), at + "[" + i + "]", refPath + "/" + i, depth + 1));
        }
        return out;
      }
      case "py/type" -> {
        if (!v.isTextual()) {
          throw refuse(tag, at, "expected a class name");
        }
        return F.objectNode().put("@type", v.asText());
      }
      case "py/reduce" -> {
        return reduce(v, at, refPath, depth);
      }
      case "py/id" -> {
        return byId(v, at);
      }
      case "py/ref" -> {
        return byRef(v, at);
      }
      case "py/b64" -> {
        if (!v.isTextual()) {
          throw refuse(tag, at, "expected a base64 string");
        }
        byte[] bytes = base64(v.asText(), tag, at);
        count(at, bytes.length);
        ArrayNode arr = F.arrayNode(bytes.length);
        for (byte b : bytes) {
          arr.add(b & 0xff);
        }
        ObjectNode out = F.objectNode().put("@class", "builtins.bytes");
        out.set("@bytes", arr);
        return out;
      }
      default -> throw refuse(tag, at, "a tag this build does not decode");
    }
  }

  private JsonNode object(ObjectNode o, String at, String refPath, int depth) {
    JsonNode cls = o.get("py/object");
    if (!cls.isTextual() || cls.asText().isEmpty()) {
      throw refuse("py/object", at, "expected a class name");
    }
    if (cls.asText().equals("numpy.ndarray")) {
      return ndarray(o, at, refPath, depth);
    }
    int mine = number(refPath);
    ObjectNode out = F.objectNode().put("@class", cls.asText());
    for (String k : iterable(o)) {
      if (k.startsWith("py/") && !OBJECT_TAGS.contains(k)) {
        throw refuse(k, at, "a tag this build does not decode");
      }
    }
    // jsonpickle's unpickler numbers in this order: the object, its constructor arguments, its
    // plain fields, the items of py/seq, then py/state
    if (o.has("py/newargsex")) {
      JsonNode v = o.get("py/newargsex");
      String kat = at + ".py/newargsex";
      if (v.isArray() && v.size() == 2) {
        ArrayNode items = F.arrayNode(2);
        for (int i = 0; i < 2; i++) {
          items.add(args(v.get(i), kat + "[" + i + "]", refPath + "/" + i, depth + 1));
        }
        out.set("@newargsex", items);
      } else {
        out.set("@newargsex", value(v, kat, refPath, depth + 1));
      }
    }
    for (String k : List.of("py/newargs", "py/initargs")) {
      if (o.has(k)) {
        out.set("@" + k.substring(3), args(o.get(k), at + "." + k, refPath, depth + 1));
      }
    }
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      String k = e.getKey();
      if (!k.startsWith("py/")) {
        out.set(escape(k), value(e.getValue(), at + "." + k, refPath + "/" + k, depth + 1));
      }
    }
    if (o.has("py/seq")) {
      JsonNode v = o.get("py/seq");
      String kat = at + ".py/seq";
      if (v.isArray()) {
        ArrayNode items = F.arrayNode(v.size());
        for (int i = 0; i < v.size(); i++) {
          items.add(value(v.get(i), kat + "[" + i + "]", refPath + "/" + i, depth + 1));
        }
        out.set("@seq", items);
      } else {
        out.set("@seq", value(v, kat, refPath, depth + 1));
      }
    }
    if (o.has("py/state")) {
      JsonNode v = o.get("py/state");
      String kat = at + ".py/state";
      if (v.isObject() && firstTag((ObjectNode) v) == null) {
        int stateDict = number(null);
        for (Map.Entry<String, JsonNode> s : v.properties()) {
          out.set(
              escape(s.getKey()),
              value(s.getValue(), kat + "." + s.getKey(), refPath + "/" + s.getKey(), depth));
        }
        numbered.set(stateDict, out);
      } else {
        out.set("@state", value(v, kat, refPath, depth + 1));
      }
    }
    return done(mine, refPath, out);
  }

  /** Constructor arguments: jsonpickle restores (and numbers) them only when not empty. */
  private JsonNode args(JsonNode v, String at, String refPath, int depth) {
    if (v.isArray() && v.isEmpty()) {
      count(at, 1);
      return F.arrayNode();
    }
    return value(v, at, refPath, depth);
  }

  private JsonNode reduce(JsonNode v, String at, String refPath, int depth) {
    if (!v.isArray() || v.isEmpty() || v.size() > 5) {
      throw refuse("py/reduce", at, "expected an array of 1 to 5 items");
    }
    int mine = number(refPath);
    JsonNode callable = v.get(0);
    String type =
        callable.isObject() && callable.size() == 1 && callable.path("py/type").isTextual()
            ? callable.get("py/type").asText()
            : null;
    boolean trailingNulls = true;
    for (int i = 2; i < v.size(); i++) {
      trailingNulls &= v.get(i).isNull();
    }
    JsonNode args = v.size() > 1 ? v.get(1) : null;
    if (type != null
        && trailingNulls
        && args != null
        && args.isObject()
        && args.size() == 1
        && args.path("py/tuple").isArray()
        && args.get("py/tuple").size() == 1
        && args.get("py/tuple").get(0).isValueNode()) {
      count(at, 2);
      ObjectNode out = F.objectNode().put("@class", type);
      out.set("@enum", args.get("py/tuple").get(0));
      return done(mine, refPath, out);
    }
    ObjectNode out = F.objectNode();
    if (type != null) {
      out.put("@class", type);
    }
    ArrayNode items = F.arrayNode(v.size());
    for (int i = 0; i < v.size(); i++) {
      items.add(value(v.get(i), at + "[" + i + "]", refPath + "/" + i, depth + 1));
    }
    out.set("@reduce", items);
    return done(mine, refPath, out);
  }

  private JsonNode ndarray(ObjectNode o, String at, String refPath, int depth) {
    int mine = number(refPath);
    JsonNode dtype = o.get("dtype");
    JsonNode values = o.get("values");
    if (dtype == null || !dtype.isTextual() || values == null) {
      throw refuse("py/object", at, "a numpy.ndarray needs a string 'dtype' and 'values'");
    }
    ObjectNode out = F.objectNode().put("@class", "numpy.ndarray").put("dtype", dtype.asText());
    JsonNode shape = o.get("shape");
    if (values.isTextual()) {
      ArrayNode flat = numpyValues(dtype.asText(), o.path("byteorder").asText(""), values, at);
      ArrayNode dims = F.arrayNode();
      if (shape == null || shape.isNull()) {
        dims.add(flat.size());
      } else {
        JsonNode s = shape.has("py/tuple") ? shape.get("py/tuple") : shape;
        long product = 1;
        for (JsonNode d : s) {
          if (!d.canConvertToInt() || d.asInt() < 0) {
            throw refuse("py/object", at + ".shape", "a numpy shape must be non-negative ints");
          }
          dims.add(d.asInt());
          product *= d.asInt();
          if (product > maxNodes) {
            throw refuse("py/object", at + ".shape", "a numpy shape larger than the node budget");
          }
        }
        if (product != flat.size()) {
          throw refuse(
              "py/object",
              at + ".shape",
              "shape " + dims + " does not match " + flat.size() + " values");
        }
      }
      out.set("shape", dims);
      out.set("values", reshape(flat, dims, 0, new int[] {0}));
    } else {
      JsonNode decoded = plainValues(values, at + ".values", depth + 1);
      out.set("shape", shapeOf(decoded));
      out.set("values", decoded);
    }
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      String k = e.getKey();
      if (!Set.of("py/object", "dtype", "values", "shape").contains(k)) {
        if (k.startsWith("py/")) {
          throw refuse(k, at, "a tag this build does not decode in a numpy.ndarray");
        }
        out.set(escape(k), value(e.getValue(), at + "." + k, refPath + "/" + k, depth + 1));
      }
    }
    return done(mine, refPath, out);
  }

  /** The values of a list-valued ndarray: numbers, strings, booleans, nulls and nested lists. */
  private JsonNode plainValues(JsonNode v, String at, int depth) {
    if (depth > MAX_DEPTH) {
      throw refuse(null, at, "nested deeper than " + MAX_DEPTH + " levels");
    }
    count(at, 1);
    if (v.isValueNode()) {
      return finite(v, at);
    }
    if (!v.isArray()) {
      throw refuse("py/object", at, "numpy.ndarray values must be values or nested lists");
    }
    // jsonpickle's numpy handler restores the list values, which numbers every list
    int mine = number(null);
    ArrayNode out = F.arrayNode(v.size());
    for (int i = 0; i < v.size(); i++) {
      out.add(plainValues(v.get(i), at + "[" + i + "]", depth + 1));
    }
    return done(mine, null, out);
  }

  private ArrayNode numpyValues(String dtype, String byteorder, JsonNode values, String at) {
    String d = dtype;
    ByteOrder order = ">".equals(byteorder) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    if (d.startsWith("<") || d.startsWith(">") || d.startsWith("|") || d.startsWith("=")) {
      order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      d = d.substring(1);
    }
    int width =
        switch (d) {
          case "bool", "b1", "int8", "i1", "uint8", "u1" -> 1;
          case "int16", "i2", "uint16", "u2" -> 2;
          case "int32", "i4", "uint32", "u4", "float32", "f4" -> 4;
          case "int64", "i8", "uint64", "u8", "float64", "f8" -> 8;
          default ->
              throw refuse(
                  "py/object",
                  at + ".dtype",
                  "numpy dtype '" + dtype + "' as bytes is not decoded");
        };
    byte[] raw = base64(values.asText(), "py/object", at + ".values");
    if (raw.length % width != 0) {
      throw refuse("py/object", at + ".values", "byte count is not a multiple of " + width);
    }
    count(at, raw.length / width);
    ByteBuffer buf = ByteBuffer.wrap(raw).order(order);
    ArrayNode out = F.arrayNode(raw.length / width);
    while (buf.hasRemaining()) {
      switch (d) {
        case "bool", "b1" -> out.add(buf.get() != 0);
        case "int8", "i1" -> out.add(buf.get());
        case "uint8", "u1" -> out.add(buf.get() & 0xff);
        case "int16", "i2" -> out.add(buf.getShort());
        case "uint16", "u2" -> out.add(buf.getShort() & 0xffff);
        case "int32", "i4" -> out.add(buf.getInt());
        case "uint32", "u4" -> out.add(buf.getInt() & 0xffffffffL);
        case "int64", "i8" -> out.add(buf.getLong());
        case "uint64", "u8" ->
            out.add(new java.math.BigInteger(Long.toUnsignedString(buf.getLong())));
        case "float32", "f4" -> out.add(buf.getFloat());
        default -> out.add(buf.getDouble());
      }
    }
    return out;
  }

  private static JsonNode reshape(ArrayNode flat, ArrayNode dims, int dim, int[] next) {
    if (dims.size() == 0) {
      return flat.get(0);
    }
    if (dim == dims.size() - 1) {
      ArrayNode row = F.arrayNode();
      for (int i = 0; i < dims.get(dim).asInt(); i++) {
        row.add(flat.get(next[0]++));
      }
      return row;
    }
    ArrayNode out = F.arrayNode();
    for (int i = 0; i < dims.get(dim).asInt(); i++) {
      out.add(reshape(flat, dims, dim + 1, next));
    }
    return out;
  }

  private static ArrayNode shapeOf(JsonNode values) {
    ArrayNode dims = F.arrayNode();
    JsonNode n = values;
    while (n.isArray()) {
      dims.add(n.size());
      n = n.isEmpty() ? F.nullNode() : n.get(0);
    }
    return dims;
  }

  private JsonNode byId(JsonNode v, String at) {
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw refuse("py/id", at, "expected an integer");
    }
    int id = v.asInt();
    if (id < 0 || id >= numbered.size()) {
      throw refuse("py/id", at, "refers to object " + id + ", which does not exist");
    }
    return copyOf(numbered.get(id), "py/id", at);
  }

  private JsonNode byRef(JsonNode v, String at) {
    if (!v.isTextual()) {
      throw refuse("py/ref", at, "expected a path string");
    }
    String p = v.asText().equals("/") ? "" : v.asText();
    JsonNode target = p.isEmpty() ? numbered.get(0) : byPath.get(p);
    if (target == null) {
      // a path to an object that contains the reference, written as a JSON path ("$.a")
      String j = v.asText().startsWith("$") ? v.asText() : "$" + p.replace('/', '.');
      String here = at.replace(".py/state", "");
      if (here.equals(j) || here.startsWith(j + ".") || here.startsWith(j + "[")) {
        throw refuse("py/ref", at, "a reference cycle (refers to an object that contains it)");
      }
      throw refuse("py/ref", at, "refers to '" + v.asText() + "', which does not exist");
    }
    return copyOf(target, "py/ref", at);
  }

  private JsonNode copyOf(JsonNode target, String tag, String at) {
    if (target == IN_PROGRESS || target == null) {
      throw refuse(tag, at, "a reference cycle (refers to an object that contains it)");
    }
    count(at, size(target));
    return target.deepCopy();
  }

  /** The expanded size of a referable node, recorded when it was completed. */
  private long size(JsonNode n) {
    Long s = sizes.get(n);
    return s == null ? 1 : s;
  }

  private int number(String refPath) {
    numbered.add(IN_PROGRESS);
    starts.add(nodes);
    if (refPath != null) {
      byPath.putIfAbsent(refPath, IN_PROGRESS);
    }
    return numbered.size() - 1;
  }

  private JsonNode done(int index, String refPath, JsonNode out) {
    numbered.set(index, out);
    sizes.put(out, nodes - starts.get(index) + 1);
    if (byPath.get(refPath) == IN_PROGRESS) {
      byPath.put(refPath, out);
    }
    return out;
  }

  private void count(String at, long n) {
    nodes += n;
    if (nodes > maxNodes) {
      throw refuse(
          null, at, "more than " + maxNodes + " values once references and bytes are expanded");
    }
  }

  private byte[] base64(String text, String tag, String at) {
    if ((long) text.length() * 3 / 4 > maxNodes) {
      throw refuse(tag, at, "more bytes than the node budget");
    }
    try {
      return Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw refuse(tag, at, "not base64: " + e.getMessage());
    }
  }

  private void requireAlone(ObjectNode o, String tag, String at) {
    if (o.size() != 1) {
      for (String k : iterable(o)) {
        if (!k.equals(tag)) {
          throw refuse(
              k.startsWith("py/") ? k : tag, at, "unexpected key '" + k + "' beside " + tag);
        }
      }
    }
  }

  private static String firstTag(ObjectNode o) {
    if (o.has("py/object")) {
      return "py/object";
    }
    for (String k : iterable(o)) {
      if (k.startsWith("py/")) {
        return k;
      }
    }
    return null;
  }

  private static Iterable<String> iterable(ObjectNode o) {
    return o::fieldNames;
  }

  /** Escapes a plain key that could be taken for one of the decoder's {@code @} keys. */
  static String escape(String key) {
    return key.startsWith("@") ? "@" + key : key;
  }

  /**
   * Refuses a float no {@code double} holds ({@code 1e400}): Jackson would read it as infinity and
   * a dump would write the string {@code "Infinity"} in its place. Python's {@code json} cannot
   * write one (it writes {@code Infinity}, which is not JSON), so such a file is not Python's.
   */
  private JsonNode finite(JsonNode n, String at) {
    if (n.isFloatingPointNumber() && !Double.isFinite(n.asDouble())) {
      throw refuse(
          null, at, "a number beyond the range of a double (Python writes no such number)");
    }
    return n;
  }

  private NoDbLegacyFormatException refuse(String tag, String at, String problem) {
    return new NoDbLegacyFormatException(file, tag, at, problem);
  }
}
