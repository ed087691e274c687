package io.nodb.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the {@code --json} output: exactly one pretty-printed JSON document on stdout, whether the
 * command succeeded or failed. Every document starts with {@code "schemaVersion"} ({@link
 * #SCHEMA_VERSION}); an error is {@code {"schemaVersion", "error": {"exitCode", "message",
 * "hint"}}}. Durations are whole milliseconds in fields ending in {@code Millis}; instants are
 * ISO-8601 UTC strings. Stateless; the mapper is thread-safe.
 */
final class JsonOutput {

  /**
   * The version of the documents' layout: raised when a field is removed, renamed or changes its
   * meaning (adding fields does not raise it).
   */
  static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonOutput() {}

  /**
   * Prints a document with {@code schemaVersion} as its first field.
   *
   * @param out stdout
   * @param document maps, lists, strings, numbers, booleans and nulls
   */
  static void print(PrintWriter out, Map<String, Object> document) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schemaVersion", SCHEMA_VERSION);
    doc.putAll(document);
    try {
      out.println(MAPPER.writeValueAsString(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON output: " + e.getOriginalMessage(), e);
    }
    out.flush();
  }

  /**
   * Prints an error document: {@code {"schemaVersion", "error": {"exitCode", "message", "hint"}}}.
   *
   * @param out stdout
   * @param exitCode the exit code the command ends with
   * @param message what went wrong (the text of the {@code nodb:} line on stderr)
   * @param hint what to do, or null
   */
  static void error(PrintWriter out, int exitCode, String message, String hint) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("exitCode", exitCode);
    error.put("message", message);
    error.put("hint", hint);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("error", error);
    print(out, doc);
  }

  /** Returns a lock holder as a JSON object, with {@code heldForMillis} judged at {@code now}. */
  static Map<String, Object> owner(LockInfo info, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", info.key().name());
    m.put("host", info.host());
    m.put("pid", info.pid());
    m.put("thread", info.thread());
    m.put("tokenDigest", info.tokenDigest());
    m.put("fence", info.fence());
    m.put("acquiredAt", info.acquiredAt().toString());
    m.put("heldForMillis", info.heldFor(now).toMillis());
    m.put("leaseMillis", info.lease().toMillis());
    m.put("ttlLeftMillis", info.ttlLeft().toMillis());
    return m;
  }

  /** Returns an audit entry as a JSON object. */
  static Map<String, Object> audit(AuditEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", e.at().toString());
    m.put("operation", e.operation());
    m.put("name", e.key().name());
    m.put("reason", e.reason());
    m.put("actor", e.actor());
    m.put("previousOwner", e.previousOwner() == null ? null : owner(e.previousOwner(), e.at()));
    return m;
  }
}
