package io.nodb.lock.internal.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Appends forced unlocks and clears to a run's {@code .nodb-locks/audit.log}, one JSON object per
 * line: {@code at, op (force|clear), run, name, reason, actor} and the evicted holder's {@code
 * tokenDigest, host, pid, thread, fence, acquiredAt, leaseMillis}. The token itself is never
 * written.
 *
 * <p>Each line is appended with one write in append mode, so lines from several processes do not
 * interleave on a local file system. The log is never reached through a symbolic link ({@link
 * SafeFiles}). Stateless and thread-safe.
 */
final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLog() {}

  /**
   * Appends one eviction.
   *
   * @param auditFile the run's audit log
   * @param op {@code force} or {@code clear}
   * @param at when it happened
   * @param reason the operator's reason
   * @param actor who did it
   * @param previous the evicted holder
   * @param writes the writer of the line (a seam for tests of a full disk)
   * @throws SymlinkRefusedException if the audit log is a symbolic link (never followed)
   * @throws IOException if the line cannot be appended
   */
  static void append(
      Path auditFile,
      String op,
      Instant at,
      String reason,
      String actor,
      LockInfo previous,
      SpaceWrites writes)
      throws IOException {
    ObjectNode line = JSON.createObjectNode();
    line.put("at", at.toString());
    line.put("op", op);
    line.put("run", previous.key().namespace().tag());
    line.put("name", previous.key().name());
    line.put("reason", reason);
    line.put("actor", actor);
    line.putObject("previous")
        .put("tokenDigest", previous.tokenDigest())
        .put("host", previous.host())
        .put("pid", previous.pid())
        .put("thread", previous.thread())
        .put("fence", previous.fence())
        .put("acquiredAt", previous.acquiredAt().toString())
        .put("leaseMillis", previous.lease().toMillis());
    byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    SafeFiles.append(auditFile, bytes, writes);
  }

  /**
   * Reads the newest entries.
   *
   * @param auditFile the run's audit log (may be missing)
   * @param runId the run
   * @param limit the most entries to return
   * @return entries, newest first; lines that do not parse are skipped with a WARN
   * @throws IOException if the file exists but cannot be read
   */
  static List<AuditEntry> read(Path auditFile, String runId, int limit) throws IOException {
    if (!Files.exists(auditFile, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<String> lines =
        new String(SafeFiles.readAll(auditFile, SafeFiles.MAX_AUDIT_BYTES), StandardCharsets.UTF_8)
            .lines()
            .toList();
    List<AuditEntry> out = new ArrayList<>();
    for (int i = lines.size() - 1; i >= 0 && out.size() < limit; i--) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(parse(JSON.readTree(line), runId));
      } catch (IOException | RuntimeException e) {
        LoggerFactory.getLogger(AuditLog.class)
            .warn(
                "[LOCK] skipping unreadable audit line {} of {}: {}",
                i + 1,
                auditFile,
                e.toString());
      }
    }
    return out;
  }

  private static AuditEntry parse(JsonNode n, String runId) {
    LockKey key = LockKey.of(io.nodb.lock.LockNamespace.parse(runId), n.get("name").asText());
    JsonNode p = n.get("previous");
    LockInfo previous =
        new LockInfo(
            key,
            p.get("tokenDigest").asText(),
            p.get("host").asText(),
            p.get("pid").asLong(),
            p.get("thread").asText(),
            Instant.parse(p.get("acquiredAt").asText()),
            Duration.ofMillis(p.get("leaseMillis").asLong()),
            Duration.ZERO,
            p.get("fence").asLong());
    return new AuditEntry(
        Instant.parse(n.get("at").asText()),
        n.get("op").asText(),
        key,
        n.get("reason").asText(),
        n.get("actor").asText(),
        previous);
  }
}
