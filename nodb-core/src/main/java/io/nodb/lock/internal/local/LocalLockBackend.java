package io.nodb.lock.internal.local;

import io.nodb.InvalidRunIdException;
import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.LockBackend;
import io.nodb.lock.internal.LockValueCodec;
import io.nodb.lock.internal.OwnerStamp;
import io.nodb.lock.internal.OwnershipResult;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded lock backend: locks are files under each run's directory, shared by the threads and
 * processes of one host, with no server. It is the default when no Redis URL is configured and has
 * the same semantics as the Redis backend (token-checked release and extend, fences that only grow,
 * typed losses, an audit trail of forced unlocks and clears).
 *
 * <p>Layout: the locks of run {@code R} live in {@code <runsRoot>/R/.nodb-locks/}, one state file
 * per key (fence, holder, expiry, recently evicted tokens), one guard file per key and the run's
 * {@code audit.log}; that directory is the run's index, so listing and clearing a run never look
 * outside it. Every operation on a key holds an in-JVM lock and then an exclusive OS file lock on
 * the key's guard file, and replaces the state file atomically (temp file, fsync, rename), so a
 * crash never loses the fence. Operations on a whole run visit its keys one at a time in name
 * order: {@link #clearRun} is not a snapshot, and a lock taken after its key was visited survives.
 * Expiry is judged by the injected wall clock, so the processes sharing a runs root must agree on
 * the time.
 *
 * <p>Waiting polls: {@link #awaitRelease} wakes as soon as this JVM releases, forces or clears the
 * key, but a release by another process is only seen at the caller's next attempt, after a backoff
 * of {@code min(50 ms, 2^attempt ms)} (or sooner, when the holder's TTL runs out).
 *
 * <p>Thread-safe; instances on the same runs root, in one JVM or several, exclude each other. Every
 * operation throws {@link LockBackendUnavailableException} (naming the file and the operation, with
 * the I/O error as cause) when the files cannot be read or written; {@link #locks} and {@link
 * #clearRun} throw {@link InvalidRunIdException} for an invalid run id.
 */
public final class LocalLockBackend implements LockBackend {

  private static final Logger LOG = LoggerFactory.getLogger(LocalLockBackend.class);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final LockPaths paths;
  private final Clock clock;
  private final KeyMutexes mutexes = KeyMutexes.jvmWide();

  /**
   * Creates a backend. Nothing is touched on disk until the first operation.
   *
   * @param runsRoot the directory that holds the run directories
   * @param clock the wall clock that judges expiry (shared by every process on the root)
   */
  public LocalLockBackend(Path runsRoot, Clock clock) {
    this.paths = new LockPaths(Objects.requireNonNull(runsRoot, "runsRoot"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public AcquireAttempt tryAcquire(LockKey key, String token, OwnerStamp owner) {
    return guarded(
        key,
        "acquire",
        (files, now) -> {
          KeyState state = KeyStateStore.read(files.state(), key.name());
          Optional<String> live = state.liveHolder(now);
          if (live.isPresent()) {
            return AcquireAttempt.held(Optional.of(info(key, state, live.get(), now)));
          }
          long fence = state.fence() + 1;
          String value = LockValueCodec.encode(token, fence, owner);
          files.write(state.acquired(value, fence, now + owner.leaseMillis()));
          return AcquireAttempt.acquired(fence);
        });
  }

  @Override
  public OwnershipResult release(LockKey key, String token) {
    return guarded(
        key,
        "release",
        (files, now) -> {
          KeyState state = KeyStateStore.read(files.state(), key.name());
          if (!state.isHeldBy(token, now)) {
            return OwnershipResult.lost(lossReason(state, token, now));
          }
          files.write(state.released());
          mutexes.signalReleased(files.guard());
          return OwnershipResult.ownedByCaller();
        });
  }

  @Override
  public OwnershipResult extend(LockKey key, String token, long leaseMillis) {
    return guarded(
        key,
        "extend",
        (files, now) -> {
          KeyState state = KeyStateStore.read(files.state(), key.name());
          if (!state.isHeldBy(token, now)) {
            return OwnershipResult.lost(lossReason(state, token, now));
          }
          files.write(state.extended(now + leaseMillis));
          return OwnershipResult.ownedByCaller();
        });
  }

  @Override
  public long liftFence(LockKey key, String token, long floor) {
    return guarded(
        key,
        "liftFence",
        (files, now) -> {
          KeyState state = KeyStateStore.read(files.state(), key.name());
          if (!state.isHeldBy(token, now)) {
            return -1L;
          }
          String[] parts = state.holder().split("\\|", 3);
          long held = Long.parseLong(parts[1]);
          if (held > floor) {
            return held;
          }
          long lifted = Math.max(state.fence(), floor) + 1;
          files.write(
              state.acquired(
                  parts[0] + "|" + lifted + "|" + parts[2], lifted, state.expiresAtMillis()));
          return lifted;
        });
  }

  @Override
  public Optional<LockInfo> owner(LockKey key) {
    if (!Files.isDirectory(paths.lockDir(key.runId()))) {
      return Optional.empty();
    }
    return guarded(
        key,
        "read owner of",
        (files, now) -> {
          KeyState state = KeyStateStore.read(files.state(), key.name());
          return state.liveHolder(now).map(value -> info(key, state, value, now));
        });
  }

  @Override
  public List<LockInfo> locks(String runId) {
    List<LockInfo> held = new ArrayList<>();
    for (LockKey key : keysOf(runId)) {
      owner(key).ifPresent(held::add);
    }
    return held;
  }

  @Override
  public Optional<LockInfo> forceUnlock(LockKey key, String reason, String actor) {
    if (!Files.isDirectory(paths.lockDir(key.runId()))) {
      return Optional.empty();
    }
    return evict(key, LossReason.FORCED, "force", reason, actor);
  }

  @Override
  public List<LockInfo> clearRun(String runId, String reason, String actor) {
    List<LockInfo> evicted = new ArrayList<>();
    for (LockKey key : keysOf(runId)) {
      evict(key, LossReason.CLEARED, "clear", reason, actor).ifPresent(evicted::add);
    }
    return evicted;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here waiting polls: it returns at once if the key is free, else waits at most {@code
   * min(maxNanos, 2^attempt ms, 50 ms, the holder's TTL left)}. A release, force or clear in this
   * JVM wakes it at once (none can slip in between the check and the wait); one in another process
   * is seen at the caller's next attempt.
   */
  @Override
  public List<AuditEntry> audit(String runId, int limit) {
    Path file = paths.auditLog(LockKey.requireValidRunId(runId));
    try {
      return AuditLog.read(file, runId, limit);
    } catch (IOException e) {
      throw new LockBackendUnavailableException(
          "cannot read audit log " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void awaitRelease(LockKey key, long maxNanos, int attempt) throws InterruptedException {
    long backoff = TimeUnit.MILLISECONDS.toNanos(1L << Math.min(Math.max(attempt, 0), 6));
    long bound = Math.min(maxNanos, Math.min(backoff, MAX_BACKOFF_NANOS));
    if (bound <= 0) {
      return;
    }
    Path dir = canonicalLockDir(key.runId());
    Path state = LockPaths.stateFile(dir, key);
    mutexes.awaitReleased(
        LockPaths.guardFile(dir, key), () -> Math.min(bound, ttlLeftNanos(state, key)));
  }

  @Override
  public Duration ping() {
    Path root = paths.root();
    long start = System.nanoTime();
    try {
      Files.createDirectories(root);
      Path probe = Files.createTempFile(root, ".nodb-ping-", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw unavailable("ping (create and delete a probe file in)", root, e);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public String describe() {
    return "local:" + paths.root();
  }

  /** Holds no resources: every operation opens and closes its own files. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "LocalLockBackend[" + describe() + "]";
  }

  /**
   * Evicts a live holder: audit line first, so no eviction goes unaudited (a failed state write may
   * leave a line for an eviction that did not happen), then the state, then the wake-up. A free key
   * is left alone and not audited.
   */
  private Optional<LockInfo> evict(
      LockKey key, LossReason loss, String op, String reason, String actor) {
    return guarded(
        key,
        op,
        (files, now) -> {
          KeyState state = KeyStateStore.read(files.state(), key.name());
          Optional<String> live = state.liveHolder(now);
          if (live.isEmpty()) {
            return Optional.empty();
          }
          LockInfo previous = info(key, state, live.get(), now);
          AuditLog.append(
              paths.auditLog(key.runId()), op, Instant.ofEpochMilli(now), reason, actor, previous);
          files.write(state.evicted(loss, now));
          mutexes.signalReleased(files.guard());
          LOG.info(
              "nodb.lock.local: {} lock {} held by {} (reason '{}', by {})",
              op,
              key,
              previous.describe(),
              reason,
              actor);
          return Optional.of(previous);
        });
  }

  /** Returns the keys recorded in a run's lock directory, by name; none if it does not exist. */
  private List<LockKey> keysOf(String runId) {
    LockKey.requireValidRunId(runId);
    Path dir = paths.lockDir(runId);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (LockPaths.isStateFile(entry.getFileName().toString())) {
          KeyStateStore.readName(entry).ifPresent(names::add);
        }
      }
    } catch (IOException e) {
      throw unavailable("list locks of run '" + runId + "' in", dir, e);
    } catch (DirectoryIteratorException e) {
      throw unavailable("list locks of run '" + runId + "' in", dir, e.getCause());
    }
    List<LockKey> keys = new ArrayList<>(names.size());
    for (String name : names) {
      try {
        keys.add(LockKey.of(runId, name));
      } catch (InvalidRunIdException foreign) {
        LOG.warn("nodb.lock.local: ignoring state file with invalid lock name in {}", dir);
      }
    }
    return keys;
  }

  private <T> T guarded(LockKey key, String op, KeyWork<T> work) {
    Path dir = paths.lockDir(key.runId());
    try {
      Files.createDirectories(dir);
      KeyFiles files = KeyFiles.of(dir.toRealPath(), key);
      return mutexes.withKey(files.guard(), () -> work.run(files, clock.millis()));
    } catch (IOException e) {
      throw unavailable(op + " lock " + key + " at", LockPaths.stateFile(dir, key), e);
    }
  }

  /** Returns the run's lock directory by its canonical path if it exists (the path signals use). */
  private Path canonicalLockDir(String runId) {
    Path dir = paths.lockDir(runId);
    try {
      return dir.toRealPath();
    } catch (IOException absent) {
      return dir; // nothing signals a key whose directory does not exist; the wait is the backoff
    }
  }

  /**
   * Returns how long the key's holder has left, 0 if it is free. Reads without the OS lock, which
   * is safe because the state file is only ever replaced whole; an unreadable file counts as held
   * (the caller's next attempt reports the error).
   */
  private long ttlLeftNanos(Path stateFile, LockKey key) {
    try {
      KeyState state = KeyStateStore.read(stateFile, key.name());
      long now = clock.millis();
      return state.liveHolder(now).isEmpty()
          ? 0
          : TimeUnit.MILLISECONDS.toNanos(state.expiresAtMillis() - now);
    } catch (IOException unreadable) {
      return Long.MAX_VALUE;
    }
  }

  private static LossReason lossReason(KeyState state, String token, long now) {
    return state
        .evictions()
        .reasonFor(token, now)
        .orElse(state.liveHolder(now).isPresent() ? LossReason.TAKEN_OVER : LossReason.EXPIRED);
  }

  private static LockInfo info(LockKey key, KeyState state, String value, long now) {
    return LockValueCodec.decode(key, value, state.expiresAtMillis() - now);
  }

  private LockBackendUnavailableException unavailable(String op, Path file, IOException cause) {
    return new LockBackendUnavailableException(
        "local lock backend " + describe() + ": cannot " + op + " " + file + ": " + cause, cause);
  }

  /** Work on one key, given its files and the clock's reading taken under the key's locks. */
  @FunctionalInterface
  private interface KeyWork<T> {
    T run(KeyFiles files, long nowMillis) throws IOException;
  }

  /** The files of one key, in the canonical lock directory. */
  private record KeyFiles(Path state, Path guard, Path temp) {

    static KeyFiles of(Path lockDir, LockKey key) {
      return new KeyFiles(
          LockPaths.stateFile(lockDir, key),
          LockPaths.guardFile(lockDir, key),
          LockPaths.tempFile(lockDir, key));
    }

    void write(KeyState next) throws IOException {
      KeyStateStore.write(state, temp, next);
    }
  }
}
