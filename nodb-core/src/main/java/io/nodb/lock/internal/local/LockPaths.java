package io.nodb.lock.internal.local;

import io.nodb.lock.LockKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The on-disk layout of the local backend under a runs root.
 *
 * <p>For key {@code (R, N)} the files live in {@code <root>/R/.nodb-locks/}: {@code B.lock} (the
 * key's state), {@code B.lock.released} (the state the key will have once its current holder
 * releases: same fence and evictions, no holder; written with every acquisition and fence lift, so
 * that a release is one rename and needs no free space), {@code B.guard} (the sidecar locked with
 * an OS file lock, never deleted), {@code B.lock.tmp} (the temporary file of an atomic write of
 * either of the first two) and, after a repair, {@code B.lock.corrupt-<millis>} (a state file that
 * did not parse, moved aside, never deleted), where {@code B} is the name with {@code %} escaped as
 * {@code %25} and {@code /} as {@code %2F}. The suffixes are distinct and only {@code B.lock} ends
 * in {@code .lock}, so no name's files collide with another name's and listings see state files
 * only. The run's {@code audit.log} sits next to them. {@code .nodb-locks} and everything in it is
 * never reached through a symbolic link ({@link SafeFiles}); the run directory itself may be. A
 * base longer than {@link #MAX_BASE} characters (possible for deep 255-character names) is
 * shortened to a prefix plus {@code ~} and a digest of the name; {@code ~} never occurs in a valid
 * name, and the state file records the full name, so listing never depends on decoding file names.
 *
 * <p>Immutable and thread-safe.
 */
final class LockPaths {

  static final String LOCK_DIR = ".nodb-locks";
  static final String STATE_SUFFIX = ".lock";
  static final String GUARD_SUFFIX = ".guard";
  static final String TEMP_SUFFIX = ".lock.tmp";
  static final String PREPARED_SUFFIX = ".lock.released";
  static final String CORRUPT_INFIX = ".corrupt-";
  static final String AUDIT_FILE = "audit.log";

  /** Keeps {@code base + ".lock.tmp"} well under the common 255-byte file name limit. */
  static final int MAX_BASE = 200;

  private final Path root;

  LockPaths(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Returns the absolute, normalized runs root. */
  Path root() {
    return root;
  }

  /** Returns the directory of a (validated) run. */
  Path runDir(String runId) {
    return root.resolve(runId);
  }

  /** Returns the lock directory of a (validated) run. */
  Path lockDir(String runId) {
    return runDir(runId).resolve(LOCK_DIR);
  }

  /** Returns the run's audit log. */
  Path auditLog(String runId) {
    return lockDir(runId).resolve(AUDIT_FILE);
  }

  /** Returns the state file of a key inside {@code lockDir}. */
  static Path stateFile(Path lockDir, LockKey key) {
    return lockDir.resolve(base(key.name()) + STATE_SUFFIX);
  }

  /** Returns the guard file of a key inside {@code lockDir}. */
  static Path guardFile(Path lockDir, LockKey key) {
    return lockDir.resolve(base(key.name()) + GUARD_SUFFIX);
  }

  /** Returns the temporary file of a key's atomic write inside {@code lockDir}. */
  static Path tempFile(Path lockDir, LockKey key) {
    return lockDir.resolve(base(key.name()) + TEMP_SUFFIX);
  }

  /** Returns the prepared released state of a key inside {@code lockDir}. */
  static Path preparedFile(Path lockDir, LockKey key) {
    return lockDir.resolve(base(key.name()) + PREPARED_SUFFIX);
  }

  /** Returns the file name that a state file is moved aside to when found corrupt at a time. */
  static String corruptName(String stateFileName, long atMillis) {
    return stateFileName + CORRUPT_INFIX + atMillis;
  }

  /** Returns whether {@code fileName} is a state file. */
  static boolean isStateFile(String fileName) {
    return fileName.endsWith(STATE_SUFFIX);
  }

  /**
   * Returns the file name base of a lock name: one path segment, injective over valid names.
   *
   * @param name a validated lock name
   * @return the base
   */
  static String base(String name) {
    String escaped = name.replace("%", "%25").replace("/", "%2F");
    if (escaped.length() <= MAX_BASE) {
      return escaped;
    }
    return escaped.substring(0, MAX_BASE - 17) + "~" + sha256Hex16(name);
  }

  private static String sha256Hex16(String name) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
