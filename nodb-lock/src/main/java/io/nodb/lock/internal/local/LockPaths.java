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
 * <p>The locks of run {@code R} live in {@code <root>/R/.nodb-locks/}, which holds a bounded number
 * of files whatever the number of names ever locked there:
 *
 * <ul>
 *   <li>{@code B.lock} for each key that is <em>held</em> (or whose holder's lease ran out and no
 *       one has touched the key since): the holder, its fence and expiry. A release removes it.
 *   <li>{@code fence.counter}: the run's one fence counter. Every acquisition and fence lift of
 *       every key of the run takes the next value and makes it durable before the key's {@code
 *       B.lock} is written, so each key's fences are strictly increasing across releases, expiries,
 *       forced unlocks, clears and crashes although no per-key file survives a release.
 *   <li>{@code stripe-NN.mutex} ({@link #STRIPES} at most, made when first needed): the guard files
 *       locked with an OS file lock around a key's short critical section; the key's stripe is a
 *       fixed hash of {@code B}. They are never deleted, so no process can hold a lock on an
 *       unlinked guard while another locks a new one. {@code stripe-NN.tmp}: the temporary file of
 *       an atomic write of a {@code B.lock} of that stripe (one writer per stripe at a time, so a
 *       crashed writer's temp is reused, not piled up).
 *   <li>{@code run.mutex}: the guard of the run-wide files, always taken after a stripe's (never
 *       the other way round); {@code fence.counter.tmp} and {@code evictions.json.tmp} their
 *       temporary files.
 *   <li>{@code evictions.json}: the tokens recently evicted by a forced unlock or a clear ({@link
 *       EvictionLog}, bounded), so an evicted holder learns why it lost its lock.
 *   <li>{@code audit.log}: the run's forced unlocks and clears ({@link AuditLog}).
 *   <li>after a repair, {@code B.lock.corrupt-<millis>} (a state file that did not parse, moved
 *       aside, never deleted) or {@code fence.counter.corrupt-<millis>}.
 * </ul>
 *
 * <p>{@code B} is the name with {@code %} escaped as {@code %25} and {@code /} as {@code %2F}. A
 * base longer than {@link #MAX_BASE} characters (possible for deep 255-character names) is
 * shortened to a prefix plus {@code ~} and a digest of the name; {@code ~} never occurs in a valid
 * name, and the state file records the full name, so listing never depends on decoding file names.
 * Only {@code B.lock} ends in {@code .lock}, and no run-wide file ends in a key file's suffix, so
 * no name's files collide with another's or with the run's.
 *
 * <p>The layout of versions before the bounded one kept, per name ever used, {@code B.lock} (format
 * 1, also when free, with the key's own fence and its evictions), {@code B.lock.released} (its
 * state once released), {@code B.guard} (a per-key guard) and {@code B.lock.tmp}. Those are read
 * (their fences are folded into {@code fence.counter} when it is first made, and a held format-1
 * lock stays held) and removed by the acquisition of their key or by a clear of the run.
 *
 * <p>{@code .nodb-locks} and everything in it is never reached through a symbolic link ({@link
 * SafeFiles}); the run directory itself may be. Immutable and thread-safe.
 */
final class LockPaths {

  static final String LOCK_DIR = ".nodb-locks";
  static final String STATE_SUFFIX = ".lock";
  static final String CORRUPT_INFIX = ".corrupt-";
  static final String AUDIT_FILE = "audit.log";

  /** The number of guard stripes of a run: a constant, so guard files never accumulate. */
  static final int STRIPES = 64;

  static final String COUNTER_FILE = "fence.counter";
  static final String COUNTER_TEMP = "fence.counter.tmp";
  static final String RUN_GUARD = "run.mutex";
  static final String EVICTIONS_FILE = "evictions.json";
  static final String EVICTIONS_TEMP = "evictions.json.tmp";
  static final String STRIPE_PREFIX = "stripe-";
  static final String STRIPE_GUARD_SUFFIX = ".mutex";
  static final String STRIPE_TEMP_SUFFIX = ".tmp";

  /** Per-key guard of the old layout. */
  static final String LEGACY_GUARD_SUFFIX = ".guard";

  /** Per-key temporary file of the old layout. */
  static final String LEGACY_TEMP_SUFFIX = ".lock.tmp";

  /** Per-key prepared released state of the old layout. */
  static final String LEGACY_PREPARED_SUFFIX = ".lock.released";

  /** Keeps {@code base + ".lock.released"} well under the common 255-byte file name limit. */
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

  /** Returns the stripe (0 to {@link #STRIPES} - 1) of a file name base: a fixed hash. */
  static int stripe(String base) {
    int h = base.hashCode(); // specified by String's contract, so every JVM agrees
    return Math.floorMod(h ^ (h >>> 16), STRIPES);
  }

  /** Returns the guard file of a stripe inside {@code lockDir}. */
  static Path stripeGuard(Path lockDir, int stripe) {
    return lockDir.resolve(stripeName(stripe) + STRIPE_GUARD_SUFFIX);
  }

  /** Returns the temporary file of a stripe's atomic writes inside {@code lockDir}. */
  static Path stripeTemp(Path lockDir, int stripe) {
    return lockDir.resolve(stripeName(stripe) + STRIPE_TEMP_SUFFIX);
  }

  private static String stripeName(int stripe) {
    return STRIPE_PREFIX + (stripe < 10 ? "0" : "") + stripe;
  }

  /** Returns the file name that a file is moved aside to when found corrupt at a time. */
  static String corruptName(String fileName, long atMillis) {
    return fileName + CORRUPT_INFIX + atMillis;
  }

  /** Returns whether {@code fileName} is a state file. */
  static boolean isStateFile(String fileName) {
    return fileName.endsWith(STATE_SUFFIX);
  }

  /**
   * Returns the base of a file of the old per-key layout ({@code B.guard}, {@code B.lock.released},
   * {@code B.lock.tmp}), or null for any other file name.
   */
  static String legacyBase(String fileName) {
    for (String suffix :
        new String[] {LEGACY_GUARD_SUFFIX, LEGACY_PREPARED_SUFFIX, LEGACY_TEMP_SUFFIX}) {
      if (fileName.endsWith(suffix) && fileName.length() > suffix.length()) {
        return fileName.substring(0, fileName.length() - suffix.length());
      }
    }
    return null;
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
