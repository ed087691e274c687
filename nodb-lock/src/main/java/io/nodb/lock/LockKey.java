package io.nodb.lock;

import io.nodb.InvalidRunIdException;
import java.util.regex.Pattern;

/**
 * The name of one lock: a {@link LockNamespace} (usually a run) and a name inside it (for a run,
 * the controller file's relative path), for example {@code (run-42, climate.nodb)} or {@code
 * (job:nightly, report)}.
 *
 * <p>Both parts are validated on construction, so a {@code LockKey} never carries a value that
 * could escape the namespace's key space in Redis or its directory on disk. A run id matches {@code
 * [A-Za-z0-9][A-Za-z0-9._-]{0,127}} and is not {@code ..}-like (other namespaces: see {@link
 * LockNamespace}); a name is one or more such segments separated by {@code /} (at most 255
 * characters), with no {@code .} or {@code ..} segment.
 *
 * <p>Immutable and thread-safe.
 *
 * @param namespace the namespace
 * @param name the lock's name in it (for a run, the controller file relative to the run directory)
 */
public record LockKey(LockNamespace namespace, String name) {

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

  /**
   * Validates and creates a key.
   *
   * @throws InvalidRunIdException if the run id or the name is not acceptable
   */
  public LockKey {
    java.util.Objects.requireNonNull(namespace, "namespace");
    requireValidName(name);
  }

  /**
   * Validates and creates a key of a run.
   *
   * @param runId the run id
   * @param name the controller file, relative to the run directory
   * @throws InvalidRunIdException if the run id or the name is not acceptable
   */
  public LockKey(String runId, String name) {
    this(LockNamespace.run(runId), name);
  }

  /**
   * Creates a key of a namespace.
   *
   * @param namespace the namespace
   * @param name the lock's name in it
   * @return the key
   * @throws InvalidRunIdException if the name is not acceptable
   */
  public static LockKey of(LockNamespace namespace, String name) {
    return new LockKey(namespace, name);
  }

  /**
   * Returns the run id of a run's key.
   *
   * @return the run id
   * @throws IllegalStateException if the key's namespace is not a run (use {@link #namespace()})
   */
  public String runId() {
    if (!namespace.isRun()) {
      throw new IllegalStateException(
          "lock " + this + " is not a run's: its namespace is " + namespace.kind());
    }
    return namespace.id();
  }

  /**
   * Creates a key of a run.
   *
   * @param runId the run id
   * @param name the controller file, relative to the run directory
   * @return the key
   * @throws InvalidRunIdException if the run id or the name is not acceptable
   */
  public static LockKey of(String runId, String name) {
    return new LockKey(runId, name);
  }

  /**
   * Checks a run id.
   *
   * @param runId the candidate
   * @return the same run id
   * @throws InvalidRunIdException naming the value and the rule it broke
   */
  public static String requireValidRunId(String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches() || runId.contains("..")) {
      throw new InvalidRunIdException(
          "invalid run id "
              + quote(runId)
              + ": expected 1-128 characters of [A-Za-z0-9._-], starting with a letter or digit,"
              + " with no '..'");
    }
    return runId;
  }

  private static void requireValidName(String name) {
    boolean ok = name != null && !name.isEmpty() && name.length() <= 255;
    if (ok) {
      for (String segment : name.split("/", -1)) {
        if (!SEGMENT.matcher(segment).matches() || segment.contains("..")) {
          ok = false;
          break;
        }
      }
    }
    if (!ok) {
      throw new InvalidRunIdException(
          "invalid controller path "
              + quote(name)
              + ": expected '/'-separated segments of [A-Za-z0-9._-] (at most 255 characters)"
              + " that stay inside the run directory");
    }
  }

  private static String quote(String value) {
    return value == null ? "null" : "'" + value.replace("\0", "\\0") + "'";
  }

  /** Returns {@code <namespace tag>/name}, for a run {@code runId/name}. */
  @Override
  public String toString() {
    return namespace.tag() + "/" + name;
  }
}
