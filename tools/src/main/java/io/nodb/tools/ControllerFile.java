package io.nodb.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the {@code nodb} header of one controller file says: {@code {"nodb": {"format": 1, "type":
 * …, "version": N, "fence": F, "writtenAt": …, "writer": "host:pid"}, "state": {…}}}. Only the
 * header is read; the state is skipped without being built. A file that cannot be read or whose
 * header is missing or malformed yields a value with {@link #corrupt()} set to a short reason.
 * Immutable.
 *
 * @param name the path relative to the run directory, with {@code /} separators (the lock name)
 * @param type the controller type, or null
 * @param version the file version, or -1
 * @param fence the fence of the dump that wrote it, or -1
 * @param writtenAt when it was written (as recorded), or null
 * @param writer {@code host:pid} of the writer, or null
 * @param corrupt why the header could not be read, or null if it was
 */
record ControllerFile(
    String name,
    String type,
    long version,
    long fence,
    String writtenAt,
    String writer,
    String corrupt) {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();
  private static final int MAX_REASON = 120;

  /**
   * Reads the header of one file.
   *
   * @param name the lock name of the file
   * @param file the file
   * @return the header, or a value with {@link #corrupt()} set
   */
  static ControllerFile read(String name, Path file) {
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = FACTORY.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return corrupt(name, "not a JSON object");
      }
      JsonNode header = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if ("nodb".equals(field)) {
          header = MAPPER.readTree(p);
        } else {
          p.skipChildren();
        }
      }
      if (header == null || !header.isObject()) {
        return corrupt(name, "no \"nodb\" header object");
      }
      return fromHeader(name, header);
    } catch (JsonProcessingException e) {
      return corrupt(name, "invalid JSON" + at(e.getLocation()) + ": " + gist(e));
    } catch (IOException e) {
      return corrupt(name, "cannot read: " + e);
    }
  }

  private static String at(JsonLocation where) {
    return where == null || where.getLineNr() < 1
        ? ""
        : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
  }

  /** Jackson's message up to its first colon: the problem without the long explanation. */
  private static String gist(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage());
    int colon = m.indexOf(':');
    return colon > 0 ? m.substring(0, colon) : m;
  }

  private static ControllerFile fromHeader(String name, JsonNode h) {
    for (String field : new String[] {"format", "version", "fence"}) {
      if (!h.path(field).canConvertToExactIntegral() || h.path(field).asLong() < 0) {
        return corrupt(name, "header field \"" + field + "\" is missing or not a number");
      }
    }
    return new ControllerFile(
        name,
        text(h, "type"),
        h.get("version").asLong(),
        h.get("fence").asLong(),
        text(h, "writtenAt"),
        text(h, "writer"),
        null);
  }

  private static String text(JsonNode h, String field) {
    JsonNode n = h.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static ControllerFile corrupt(String name, String reason) {
    String line = reason.lines().findFirst().orElse(reason);
    if (line.length() > MAX_REASON) {
      line = line.substring(0, MAX_REASON - 3) + "...";
    }
    return new ControllerFile(name, null, -1, -1, null, null, line);
  }

  /** Returns whether the header was read. */
  boolean readable() {
    return corrupt == null;
  }
}
