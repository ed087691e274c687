package io.nodb.store.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import io.nodb.lock.Fences;
import io.nodb.store.NoDbCorruptFileException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the {@code .nodb} envelope {@code {"nodb": {format, type, version, fence,
 * writtenAt, writer}, "state": {...}}}, and diagnoses every way a file can be unusable (empty,
 * truncated, not JSON, not an envelope, wrong field types, another controller's type, a newer
 * format) with a {@link NoDbCorruptFileException} that names the path and the problem.
 *
 * <p>A file without a {@code nodb} header but with a {@code py/object} key is the legacy format 0
 * (jsonpickle from the Python original): it is decoded by {@link LegacyDecoder} (the one format-0
 * reader), its header says format 0 with the Python class as type, and its state is the decoded
 * fields. A format-1 file may carry a top-level {@code legacy} object: the format-0 fields its
 * controller does not map, kept verbatim (see {@link Envelope#kept()}).
 *
 * <p>Thread-safe (Jackson's mapper is).
 */
public final class EnvelopeCodec {

  /** The format this build writes. */
  public static final int CURRENT_FORMAT = 1;

  private static final Set<String> KNOWN_HEADER =
      Set.of("format", "type", "version", "fence", "writtenAt", "writer", "lineage");

  private final ObjectMapper mapper;
  private final ObjectReader tree;
  private final ObjectReader subTree;

  /**
   * Creates a codec.
   *
   * @param mapper the mapper used for state objects
   */
  public EnvelopeCodec(ObjectMapper mapper) {
    ObjectMapper strict =
        mapper
            .copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    strict.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    // Trees hold every float of a file as its exact decimal (1e-400 is not 0.0, a long mantissa is
    // not rounded, 12.0 stays 12.0), also when a tree is copied through the mapper (a tree
    // controller's state), so a value kept verbatim survives every later dump.
    strict.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    this.mapper = strict;
    this.tree =
        strict
            .readerFor(JsonNode.class)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(FloatsStayFloats.INSTANCE);
    this.subTree = tree.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Makes the decimal of a JSON float with no digits after the point ({@code 1.0e1}, {@code 10E0})
   * keep one ({@code 10.0}): a {@link BigDecimal} of scale 0 prints as an integer, and a float must
   * not come back from a dump as an integer.
   */
  private static final class FloatsStayFloats extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;
    static final FloatsStayFloats INSTANCE = new FloatsStayFloats();

    private FloatsStayFloats() {
      super(true);
    }

    @Override
    public ValueNode numberNode(BigDecimal v) {
      return super.numberNode(v != null && v.scale() == 0 ? v.setScale(1) : v);
    }
  }

  /** Returns the mapper (with unknown properties ignored) used for state objects. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Parses a whole file.
   *
   * @param path the file, for messages
   * @param bytes its content
   * @param expectedType the controller type it must hold
   * @return the envelope (format may be older than current; the caller migrates)
   * @throws io.nodb.store.NoDbWrongTypeException if it holds another controller type
   * @throws NoDbCorruptFileException if it is not a usable envelope
   */
  public Envelope parse(Path path, byte[] bytes, String expectedType) {
    Envelope env = read(path, bytes);
    if (env.header().format() > 0 && !env.header().type().equals(expectedType)) {
      throw new io.nodb.store.NoDbWrongTypeException(
          path, "'" + expectedType + "'", "controller type '" + env.header().type() + "'");
    }
    return env;
  }

  /**
   * Parses a whole file strictly, whatever controller type it holds: the one reader of {@code
   * .nodb} files, used by the store, its writer and the admin tool alike. Refused: anything but one
   * JSON object in UTF-8 without a byte order mark, trailing content after it, a key that occurs
   * twice in one object (anywhere in the file), and headers whose fields are missing, of the wrong
   * type or out of range.
   *
   * @param path the file, for messages
   * @param bytes its content
   * @return the envelope (format may be older than current; the caller migrates)
   * @throws NoDbCorruptFileException if it is not a usable envelope
   */
  public Envelope read(Path path, byte[] bytes) {
    JsonNode root = readTree(path, bytes);
    if (!root.isObject()) {
      throw corrupt(path, "expected a JSON object at the top level, found " + kind(root));
    }
    ObjectNode obj = (ObjectNode) root;
    if (!obj.has("nodb") && obj.has("py/object")) {
      LegacyDocument doc = LegacyDecoder.decode(path, obj);
      return new Envelope(legacyHeader(doc.pythonClass()), doc.fields(), null, doc);
    }
    JsonNode headerNode = obj.get("nodb");
    if (headerNode == null || !headerNode.isObject()) {
      throw corrupt(
          path,
          "missing the 'nodb' header object"
              + (headerNode == null ? "" : ", found " + kind(headerNode)));
    }
    EnvelopeHeader header = header(path, (ObjectNode) headerNode);
    if (header.format() > CURRENT_FORMAT) {
      throw corrupt(
          path,
          "written in format "
              + header.format()
              + ", newer than this build reads (up to "
              + CURRENT_FORMAT
              + ")");
    }
    JsonNode state = obj.get("state");
    if (state == null || !state.isObject()) {
      throw corrupt(
          path, "missing the 'state' object" + (state == null ? "" : ", found " + kind(state)));
    }
    JsonNode kept = obj.get("legacy");
    if (kept != null && !kept.isObject()) {
      throw corrupt(path, "the 'legacy' section is " + kind(kept) + ", not an object");
    }
    return new Envelope(header, (ObjectNode) state, (ObjectNode) kept, null);
  }

  /**
   * Reads the header of a whole file, as strictly as {@link #read}: a file whose header this
   * returns is a file the store can read.
   *
   * @param path the file, for messages
   * @param bytes its content
   * @return the header
   * @throws NoDbCorruptFileException if the file is not a usable envelope
   */
  public EnvelopeHeader parseHeader(Path path, byte[] bytes) {
    return read(path, bytes).header();
  }

  /**
   * Reads the header from the first bytes of a file, streaming, or returns null when they end
   * before the header does. Only for a file whose whole content was already accepted by {@link
   * #read} (the fenced writer uses it to confirm that the file it is about to replace is still the
   * version the mutation read): it stops at the header and does not look at the rest.
   *
   * @param path the file, for messages
   * @param prefix the first bytes of the file
   * @return the header, or null if it is not complete in the prefix
   * @throws NoDbCorruptFileException if the prefix shows the file is not an envelope
   */
  public EnvelopeHeader prefixHeaderOrNull(Path path, byte[] prefix) {
    checkEncoding(path, prefix);
    try (JsonParser p = mapper.getFactory().createParser(prefix)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw corrupt(path, "expected a JSON object at the top level");
      }
      String legacyType = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if ("nodb".equals(field)) {
          // a sub-tree: the rest of the document follows it
          JsonNode node = subTree.readValue(p);
          if (!node.isObject()) {
            throw corrupt(path, "the 'nodb' header is " + kind(node) + ", not an object");
          }
          return header(path, (ObjectNode) node);
        }
        if ("py/object".equals(field) && p.currentToken() == JsonToken.VALUE_STRING) {
          legacyType = p.getText();
        }
        p.skipChildren();
      }
      if (legacyType != null) {
        return legacyHeader(legacyType);
      }
      throw corrupt(path, "missing the 'nodb' header object");
    } catch (JsonEOFException e) {
      return null;
    } catch (JsonProcessingException e) {
      throw jsonProblem(path, e);
    } catch (IOException e) {
      throw corrupt(path, "unreadable: " + e.getMessage(), e);
    }
  }

  /**
   * Serializes an envelope.
   *
   * @param envelope the envelope
   * @return UTF-8 JSON ending in a newline
   */
  public byte[] write(Envelope envelope) {
    EnvelopeHeader h = envelope.header();
    ObjectNode root = mapper.createObjectNode();
    ObjectNode header = root.putObject("nodb");
    header.put("format", h.format());
    header.put("type", h.type());
    header.put("version", h.version());
    header.put("fence", h.fence());
    header.put("writtenAt", h.writtenAt());
    header.put("writer", h.writer());
    if (!h.lineage().isEmpty()) {
      header.put("lineage", h.lineage());
    }
    for (Map.Entry<String, JsonNode> e : h.extra().properties()) {
      header.set(e.getKey(), e.getValue());
    }
    root.set("state", envelope.state());
    if (envelope.kept() != null) {
      root.set("legacy", envelope.kept());
    }
    try {
      byte[] json = mapper.writeValueAsBytes(root);
      byte[] out = new byte[json.length + 1];
      System.arraycopy(json, 0, out, 0, json.length);
      out[json.length] = '\n';
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  private EnvelopeHeader header(Path path, ObjectNode h) {
    int format = (int) integer(path, h, "format", 0, Integer.MAX_VALUE);
    JsonNode type = h.get("type");
    if (type == null || !type.isTextual() || type.asText().isEmpty()) {
      throw corrupt(path, "header field 'type' must be a non-empty string, found " + kind(type));
    }
    long version = integer(path, h, "version", 0, Fences.MAX);
    long fence = integer(path, h, "fence", 0, Fences.MAX);
    JsonNode lineage = h.get("lineage");
    if (lineage != null && !(lineage.isTextual() && EnvelopeHeader.isLineage(lineage.asText()))) {
      throw corrupt(
          path, "header field 'lineage' must be 32 lowercase hex digits, found " + kind(lineage));
    }
    ObjectNode extra = mapper.createObjectNode();
    for (Map.Entry<String, JsonNode> e : h.properties()) {
      if (!KNOWN_HEADER.contains(e.getKey())) {
        extra.set(e.getKey(), e.getValue());
      }
    }
    return new EnvelopeHeader(
        format,
        type.asText(),
        version,
        fence,
        text(h, "writtenAt"),
        text(h, "writer"),
        lineage == null ? "" : lineage.asText(),
        extra);
  }

  private EnvelopeHeader legacyHeader(String pyType) {
    return new EnvelopeHeader(0, pyType, 0, 0, "", "", "", mapper.createObjectNode());
  }

  private static long integer(Path path, ObjectNode h, String field, long min, long max) {
    JsonNode n = h.get(field);
    if (n == null
        || !n.isIntegralNumber()
        || n.asLong() < min
        || n.asLong() > max
        || !n.canConvertToLong()) {
      throw corrupt(
          path,
          "header field '"
              + field
              + "' must be an integer from "
              + min
              + " to "
              + max
              + ", found "
              + kind(n));
    }
    return n.asLong();
  }

  private static String text(ObjectNode h, String field) {
    JsonNode n = h.get(field);
    return n == null || n.isNull() ? "" : n.asText();
  }

  private JsonNode readTree(Path path, byte[] bytes) {
    if (isBlank(bytes)) {
      throw corrupt(path, "the file is empty");
    }
    checkEncoding(path, bytes);
    try {
      JsonNode root = tree.readTree(bytes);
      if (root == null || root.isMissingNode()) {
        throw corrupt(path, "the file is empty");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw jsonProblem(path, e);
    } catch (IOException e) {
      throw corrupt(path, "unreadable: " + e.getMessage(), e);
    }
  }

  private static NoDbCorruptFileException jsonProblem(Path path, JsonProcessingException e) {
    String where =
        e.getLocation() == null
            ? ""
            : " at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr();
    if (e instanceof JsonEOFException) {
      return corrupt(path, "truncated: the JSON ends early" + where, e);
    }
    String hint =
        String.valueOf(e.getOriginalMessage()).contains("Non-standard token")
            ? " (NaN and Infinity, which Python's json writes, are not JSON; such a legacy file is"
                + " not migrated: see docs/migrating.md)"
            : "";
    return corrupt(path, "not valid JSON" + where + ": " + e.getOriginalMessage() + hint, e);
  }

  /**
   * Refuses what Jackson would otherwise decode silently: a byte order mark, and UTF-16 or UTF-32
   * (detected, as Jackson does, by a zero byte among the first four). nodb files are UTF-8 only.
   */
  private static void checkEncoding(Path path, byte[] bytes) {
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      throw corrupt(path, "starts with a UTF-8 byte order mark (nodb files are UTF-8 without one)");
    }
    if (bytes.length >= 2
        && (((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff)
            || ((bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe))) {
      throw corrupt(path, "starts with a UTF-16 byte order mark (nodb files are UTF-8)");
    }
    for (int i = 0; i < Math.min(4, bytes.length); i++) {
      if (bytes[i] == 0) {
        throw corrupt(path, "is not UTF-8 (a zero byte at offset " + i + ": UTF-16 or UTF-32?)");
      }
    }
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static String kind(JsonNode n) {
    return n == null
        ? "nothing"
        : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
            + (n.isValueNode() ? " " + n : "");
  }

  private static NoDbCorruptFileException corrupt(Path path, String problem) {
    return new NoDbCorruptFileException(path, problem, null);
  }

  private static NoDbCorruptFileException corrupt(Path path, String problem, Throwable cause) {
    return new NoDbCorruptFileException(path, problem, cause);
  }
}
