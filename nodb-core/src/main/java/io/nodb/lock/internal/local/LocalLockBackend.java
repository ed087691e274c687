package io.nodb.lock.internal.local;

import io.nodb.InvalidRunIdException;
import io.nodb.lock.AuditEntry;
import io.nodb.lock.FenceLimitException;
import io.nodb.lock.Fences;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockDomain;
import io.nodb.lock.LockHolderChangedException;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.LockBackend;
import io.nodb.lock.internal.LockValueCodec;
import io.nodb.lock.internal.OwnerStamp;
import io.nodb.lock.internal.OwnershipResult;
import io.nodb.lock.internal.RunDomains;
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
 * crash never loses the fence. An acquisition also writes, first, the state the key will have once
 * released ({@code B.lock.released}, see {@link LockPaths}); a release checks the token and renames
 * that file over the state, which needs no free space, so a full disk cannot keep a lock held until
 * its lease runs out (an acquisition on a full disk fails typed, with nothing held and no temporary
 * file left). Nothing in {@code .nodb-locks} (nor the directory itself) is ever reached through a
 * symbolic link: a planted link makes the operation fail typed, naming the link. Fences stay within
 * {@link Fences#MAX}. Operations on a whole run visit its keys one at a time in name order: {@link
 * #clearRun} is not a snapshot, and a lock taken after its key was visited survives. Expiry is
 * judged by the injected wall clock, so the processes sharing a runs root must agree on the time.
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

  /** One lock domain per run: a run recorded for Redis is refused here. */
  private final RunDomains domains = new RunDomains();

  private static final Logger LOG = LoggerFactory.getLogger(LocalLockBackend.class);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final LockPaths paths;
  private final Clock clock;
  private final SpaceWrites writes;
  private final KeyMutexes mutexes = KeyMutexes.jvmWide();

  /**
   * Creates a backend. Nothing is touched on disk until the first operation.
   *
   * @param runsRoot the directory that holds the run directories
   * @param clock the wall clock that judges expiry (shared by every process on the root)
   */
  public LocalLockBackend(Path runsRoot, Clock clock) {
    this(runsRoot, clock, SpaceWrites.DIRECT);
  }

  /** Creates a backend whose writes that need free space go through {@code writes} (tests). */
  LocalLockBackend(Path runsRoot, Clock clock, SpaceWrites writes) {
    this.paths = new LockPaths(Objects.requireNonNull(runsRoot, "runsRoot"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.writes = Objects.requireNonNull(writes, "writes");
  }

  @Override
  public AcquireAttempt tryAcquire(LockKey key, String token, OwnerStamp owner) {
    return guarded(
        key,
        "acquire",
        (files, now) -> {
          domains.check(paths.runDir(key.runId()), adopt -> LockDomain.LOCAL);
          KeyState state = files.read(key);
          Optional<String> live = state.liveHolder(now);
          if (live.isPresent()) {
            return AcquireAttempt.held(Optional.of(info(key, state, live.get(), now)));
          }
          if (state.fence() >= Fences.MAX) {
            throw fenceBound(key, "acquire", state.fence() + " + 1");
          }
          long fence = state.fence() + 1;
          String value = LockValueCodec.encode(token, fence, owner);
          KeyState acquired = state.acquired(value, fence, now + owner.leaseMillis());
          files.prepare(acquired.released());
          files.write(acquired);
          return AcquireAttempt.acquired(fence);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here a release renames the prepared released state over the state file, which needs no free
   * space, so it works on a full disk; it writes the state afresh only if the prepared file is
   * missing or stale (a holder set by another tool).
   */
  @Override
  public OwnershipResult release(LockKey key, String token) {
    return guarded(
        key,
        "release",
        (files, now) -> {
          KeyState state = files.read(key);
          if (!state.isHeldBy(token, now)) {
            return OwnershipResult.lost(lossReason(state, token, now));
          }
          KeyState released = state.released();
          if (files.isPrepared(released)) {
            files.commitPrepared();
          } else {
            files.write(released);
          }
          mutexes.signalReleased(files.guard());
          return OwnershipResult.ownedByCaller();
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here the state keeps its holder with the new expiry (the prepared released state is kept),
   * and this JVM's waiters are woken to re-read it.
   */
  @Override
  public OwnershipResult releaseHolding(LockKey key, String token, long holdMillis) {
    if (holdMillis <= 0) {
      return release(key, token);
    }
    return guarded(
        key,
        "release (holding)",
        (files, now) -> {
          KeyState state = files.read(key);
          if (!state.isHeldBy(token, now)) {
            return OwnershipResult.lost(lossReason(state, token, now));
          }
          if (!files.isPrepared(state.released())) {
            files.prepare(state.released());
          }
          // + 1: "now" is truncated to the millisecond, and the hold is a lower bound
          files.write(state.extended(now + holdMillis + 1));
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
          KeyState state = files.read(key);
          if (!state.isHeldBy(token, now)) {
            return OwnershipResult.lost(lossReason(state, token, now));
          }
          if (!files.isPrepared(state.released())) {
            files.prepare(state.released());
          }
          files.write(state.extended(now + leaseMillis));
          return OwnershipResult.ownedByCaller();
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws LockBackendUnavailableException also when the lifted fence would exceed {@link
   *     Fences#MAX}; nothing changes then, and the key stays usable
   */
  @Override
  public long liftFence(LockKey key, String token, long floor) {
    return guarded(
        key,
        "liftFence",
        (files, now) -> {
          KeyState state = files.read(key);
          if (!state.isHeldBy(token, now)) {
            return -1L;
          }
          String[] parts = state.holder().split("\\|", 3);
          long held = parseFence(parts, files.state());
          if (held > floor) {
            return held;
          }
          if (floor >= Fences.MAX || state.fence() >= Fences.MAX) {
            throw fenceBound(
                key, "lift the fence of", "max(" + state.fence() + ", " + floor + ") + 1");
          }
          long lifted = Math.max(state.fence(), floor) + 1;
          KeyState next =
              state.acquired(
                  parts[0] + "|" + lifted + "|" + parts[2], lifted, state.expiresAtMillis());
          files.prepare(next.released());
          files.write(next);
          return lifted;
        });
  }

  @Override
  public Optional<LockInfo> owner(LockKey key) {
    if (!lockDirExists(key)) {
      return Optional.empty();
    }
    return guarded(
        key,
        "read owner of",
        (files, now) -> {
          KeyState state = files.read(key);
          return state.liveHolder(now).map(value -> info(key, state, value, now));
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>A state file that does not parse (or a link where one should be) is skipped with a WARN
   * naming it, so one bad entry does not hide the run's other locks.
   */
  @Override
  public List<LockInfo> locks(String runId) {
    List<LockInfo> held = new ArrayList<>();
    for (LockKey key : listing(runId).keys()) {
      owner(key).ifPresent(held::add);
    }
    return held;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A state file that does not parse is moved aside ({@code B.lock.corrupt-<millis>}, never
   * deleted) and the key restarts from its prepared released state if that is readable, else from
   * fence 0: the old fence is unknown then, and fenced store files stay safe because the store
   * lifts a holder's fence above the file's fence before writing.
   */
  @Override
  public Optional<LockInfo> forceUnlock(
      LockKey key, String expectedDigest, String reason, String actor) {
    if (!lockDirExists(key)) {
      return Optional.empty();
    }
    return evict(key, LossReason.FORCED, "force", reason, actor, expectedDigest);
  }

  /**
   * {@inheritDoc}
   *
   * <p>State files that do not parse are repaired as {@link #forceUnlock} repairs one (and not
   * listed in the result, as their holder is unknown).
   */
  @Override
  public List<LockInfo> clearRun(String runId, String reason, String actor) {
    Listing listing = listing(runId);
    for (Path corrupt : listing.corrupt()) {
      repairByFile(runId, corrupt);
    }
    List<LockInfo> evicted = new ArrayList<>();
    for (LockKey key : listing.keys()) {
      evict(key, LossReason.CLEARED, "clear", reason, actor, null).ifPresent(evicted::add);
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
      if (!SafeFiles.isDirectory(paths.lockDir(runId))) {
        return List.of();
      }
      return AuditLog.read(file, runId, limit);
    } catch (SymlinkRefusedException e) {
      throw unavailable("read audit log", file, e);
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
  public LockDomain domain(String adopt) {
    return LockDomain.LOCAL;
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
   * Evicts a live holder: audit line first, then the state, then the wake-up. A free key is left
   * alone and not audited. On a full disk the eviction still happens: an audit line that cannot be
   * appended is logged at ERROR in full instead (a link at the audit log is still refused), and a
   * state that cannot be written is replaced by the prepared released state, without the record of
   * why its holder lost it (the holder is then told EXPIRED or TAKEN_OVER, still a loss). A state
   * file that does not parse is repaired (see {@link #forceUnlock}).
   */
  private Optional<LockInfo> evict(
      LockKey key, LossReason loss, String op, String reason, String actor, String expected) {
    return guarded(
        key,
        op,
        (files, now) -> {
          KeyState state;
          try {
            state = files.read(key);
          } catch (CorruptStateException corrupt) {
            repair(files, key.name(), now, corrupt);
            return Optional.empty();
          }
          Optional<String> live = state.liveHolder(now);
          if (live.isEmpty()) {
            return Optional.empty();
          }
          LockInfo previous = info(key, state, live.get(), now);
          if (expected != null && !previous.tokenDigest().equals(expected)) {
            throw new LockHolderChangedException(key, expected, previous);
          }
          Path auditFile = files.state().resolveSibling(LockPaths.AUDIT_FILE);
          try {
            AuditLog.append(
                auditFile, op, Instant.ofEpochMilli(now), reason, actor, previous, writes);
          } catch (SymlinkRefusedException refused) {
            throw refused;
          } catch (IOException e) {
            LOG.error(
                "nodb.lock.local: cannot append to audit log {} ({}); recording here instead: {}"
                    + " lock {} held by {} (reason '{}', by {}, at {})",
                auditFile,
                e.toString(),
                op,
                key,
                previous.describe(),
                reason,
                actor,
                Instant.ofEpochMilli(now));
          }
          try {
            files.write(state.evicted(loss, now));
          } catch (SymlinkRefusedException refused) {
            throw refused;
          } catch (IOException e) {
            if (!files.isPrepared(state.released())) {
              throw e;
            }
            files.commitPrepared();
            LOG.warn(
                "nodb.lock.local: cannot record the {} of lock {} ({}); freed it with its prepared"
                    + " state, so its holder will learn only that it lost the lock",
                op,
                key,
                e.toString());
          }
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

  /**
   * Moves a corrupt state file aside and restores the key's prepared released state if readable
   * (under the key's locks).
   */
  private void repair(KeyFiles files, String name, long now, CorruptStateException why)
      throws IOException {
    Path state = files.state();
    Path aside = state.resolveSibling(LockPaths.corruptName(state.getFileName().toString(), now));
    Files.move(state, aside);
    Optional<KeyState> prepared;
    try {
      prepared = KeyStateStore.readExisting(files.prepared(), name);
    } catch (CorruptStateException unreadable) {
      LOG.warn(
          "nodb.lock.local: ignoring corrupt prepared state {}: {}",
          files.prepared(),
          unreadable.getMessage());
      prepared = Optional.empty();
    }
    long fence = 0;
    if (prepared.isPresent() && (name == null || name.equals(prepared.get().name()))) {
      fence = prepared.get().fence();
      KeyStateStore.replaceWith(files.prepared(), state);
    } else {
      KeyStateStore.forceDirectory(state.getParent());
    }
    LOG.warn(
        "nodb.lock.local: moved corrupt lock state {} aside to {} ({}); the key goes on from"
            + " fence {} (fenced store files stay safe: the store lifts fences above its files')",
        state,
        aside.getFileName(),
        why.getMessage(),
        fence);
  }

  /** Repairs a corrupt state file found by a listing, under the locks of the key it belongs to. */
  private void repairByFile(String runId, Path stateFile) {
    String fileName = stateFile.getFileName().toString();
    String base = fileName.substring(0, fileName.length() - LockPaths.STATE_SUFFIX.length());
    try {
      Path dir = canonicalLockDir(runId);
      KeyFiles files =
          new KeyFiles(
              dir.resolve(fileName),
              dir.resolve(base + LockPaths.PREPARED_SUFFIX),
              dir.resolve(base + LockPaths.GUARD_SUFFIX),
              dir.resolve(base + LockPaths.TEMP_SUFFIX),
              writes);
      mutexes.withKey(
          files.guard(),
          () -> {
            try {
              KeyStateStore.readExisting(files.state(), base);
            } catch (CorruptStateException stillCorrupt) {
              repair(files, null, clock.millis(), stillCorrupt);
            }
            return null;
          });
    } catch (IOException e) {
      throw unavailable("repair corrupt lock state", stateFile, e);
    }
  }

  /** The prefix of a local scan cursor: the run id after which the next step starts. */
  private static final String AFTER = "after:";

  /**
   * {@inheritDoc}
   *
   * <p>Lists the runs root's subdirectories whose name is a valid run id, in name order, {@code
   * count} per step, and returns those with a lock directory. The cursor is {@code after:<run id>}.
   * Entries that are not directories, links at a lock directory and invalid names are skipped.
   */
  @Override
  public io.nodb.lock.RunScan scanRuns(String cursor, int count) {
    String after;
    if (io.nodb.lock.RunScan.START.equals(cursor)) {
      after = null;
    } else if (cursor.startsWith(AFTER)) {
      after = cursor.substring(AFTER.length());
    } else {
      throw new IllegalArgumentException("not a local scan cursor: " + cursor);
    }
    Path root = paths.root();
    TreeSet<String> names = new TreeSet<>();
    try {
      if (!Files.isDirectory(root)) {
        return new io.nodb.lock.RunScan(List.of(), cursor, true);
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if ((after == null || name.compareTo(after) > 0) && validRunId(name)) {
            names.add(name);
          }
        }
      }
    } catch (IOException e) {
      throw unavailable("list the runs of", root, e);
    } catch (DirectoryIteratorException e) {
      throw unavailable("list the runs of", root, e.getCause());
    }
    List<String> runs = new ArrayList<>();
    String last = after;
    int examined = 0;
    for (String name : names) {
      if (examined++ == count) {
        return new io.nodb.lock.RunScan(runs, AFTER + last, false);
      }
      last = name;
      Path dir = paths.lockDir(name);
      try {
        if (SafeFiles.isDirectory(dir)) {
          runs.add(name);
        }
      } catch (IOException e) {
        LOG.warn(
            "nodb.lock.local: skipping run directory {}: {}", paths.runDir(name), e.toString());
      }
    }
    return new io.nodb.lock.RunScan(runs, AFTER + (last == null ? "" : last), true);
  }

  private static boolean validRunId(String name) {
    try {
      LockKey.requireValidRunId(name);
      return true;
    } catch (InvalidRunIdException e) {
      return false;
    }
  }

  /** A run's keys by name, and the state files that could not be read. */
  private record Listing(List<LockKey> keys, List<Path> corrupt) {}

  /** Returns whether the key's lock directory exists (a link there is refused, typed). */
  private boolean lockDirExists(LockKey key) {
    Path dir = paths.lockDir(key.runId());
    try {
      return SafeFiles.isDirectory(dir);
    } catch (IOException e) {
      throw unavailable("use lock " + key + " in", dir, e);
    }
  }

  /** Returns the keys recorded in a run's lock directory, by name; none if it does not exist. */
  private Listing listing(String runId) {
    LockKey.requireValidRunId(runId);
    Path dir = paths.lockDir(runId);
    TreeSet<String> names = new TreeSet<>();
    List<Path> corrupt = new ArrayList<>();
    try {
      if (!SafeFiles.isDirectory(dir)) {
        return new Listing(List.of(), List.of());
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          if (!LockPaths.isStateFile(entry.getFileName().toString())) {
            continue;
          }
          if (Files.isSymbolicLink(entry)) {
            LOG.warn("nodb.lock.local: ignoring symbolic link {} (never followed)", entry);
            continue;
          }
          try {
            KeyStateStore.readName(entry).ifPresent(names::add);
          } catch (CorruptStateException e) {
            LOG.warn("nodb.lock.local: skipping corrupt lock state {}: {}", entry, e.getMessage());
            corrupt.add(entry);
          } catch (IOException e) {
            LOG.warn("nodb.lock.local: skipping unreadable entry {}: {}", entry, e.toString());
          }
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
    return new Listing(keys, corrupt);
  }

  /**
   * Runs work on a key under its locks, in the run's lock directory by its canonical path. The run
   * directory may be reached through links (it is resolved); the lock directory and its files never
   * are.
   */
  private <T> T guarded(LockKey key, String op, KeyWork<T> work) {
    Path runDir = paths.runDir(key.runId());
    Path dir = paths.lockDir(key.runId());
    try {
      Files.createDirectories(runDir);
      SafeFiles.ensureDirectory(dir);
      KeyFiles files = KeyFiles.of(runDir.toRealPath().resolve(LockPaths.LOCK_DIR), key, writes);
      return mutexes.withKey(files.guard(), () -> work.run(files, clock.millis()));
    } catch (IOException e) {
      throw unavailable(op + " lock " + key + " at", LockPaths.stateFile(dir, key), e);
    }
  }

  /**
   * Returns the run's lock directory below the run directory's canonical path if that exists (the
   * path signals use); the lock directory itself is not resolved, as links there are never
   * followed.
   */
  private Path canonicalLockDir(String runId) {
    Path runDir = paths.runDir(runId);
    try {
      return runDir.toRealPath().resolve(LockPaths.LOCK_DIR);
    } catch (IOException absent) {
      // nothing signals a key whose directory does not exist; the wait is the backoff
      return paths.lockDir(runId);
    }
  }

  /**
   * Returns how long the key's holder has left, 0 if it is free. Reads without the OS lock, which
   * is safe because the state file is only ever replaced whole; an unreadable file counts as held
   * (the caller's next attempt reports the error).
   */
  private long ttlLeftNanos(Path stateFile, LockKey key) {
    try {
      if (!SafeFiles.isDirectory(stateFile.getParent())) {
        return 0; // nothing to wait for; a link is refused by the caller's next attempt
      }
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
    if (cause instanceof SymlinkRefusedException) {
      return new LockBackendUnavailableException(
          "local lock backend "
              + describe()
              + ": "
              + cause.getMessage()
              + " (to "
              + op
              + " "
              + file
              + ")",
          cause);
    }
    return new LockBackendUnavailableException(
        "local lock backend " + describe() + ": cannot " + op + " " + file + ": " + cause, cause);
  }

  private static FenceLimitException fenceBound(LockKey key, String op, String fence) {
    return new FenceLimitException(key, fence, op);
  }

  private static long parseFence(String[] holderParts, Path stateFile) throws IOException {
    try {
      if (holderParts.length < 3) {
        throw new NumberFormatException("no fence field");
      }
      return Long.parseLong(holderParts[1]);
    } catch (NumberFormatException e) {
      throw new CorruptStateException(
          "corrupt lock state: " + stateFile + " has a holder value without a fence", e);
    }
  }

  /** Work on one key, given its files and the clock's reading taken under the key's locks. */
  @FunctionalInterface
  private interface KeyWork<T> {
    T run(KeyFiles files, long nowMillis) throws IOException;
  }

  /** The files of one key, in the canonical lock directory. */
  private record KeyFiles(Path state, Path prepared, Path guard, Path temp, SpaceWrites writes) {

    static KeyFiles of(Path lockDir, LockKey key, SpaceWrites writes) {
      return new KeyFiles(
          LockPaths.stateFile(lockDir, key),
          LockPaths.preparedFile(lockDir, key),
          LockPaths.guardFile(lockDir, key),
          LockPaths.tempFile(lockDir, key),
          writes);
    }

    KeyState read(LockKey key) throws IOException {
      return KeyStateStore.read(state, key.name());
    }

    /** Replaces the state durably. */
    void write(KeyState next) throws IOException {
      KeyStateStore.write(state, temp, next, writes);
    }

    /**
     * Writes the prepared released state; made durable by the state write that follows it in the
     * same directory.
     */
    void prepare(KeyState released) throws IOException {
      KeyStateStore.write(prepared, temp, released, writes, false);
    }

    /** Returns whether the prepared file holds exactly {@code released}. */
    boolean isPrepared(KeyState released) throws IOException {
      try {
        return KeyStateStore.readExisting(prepared, released.name())
            .filter(released::equals)
            .isPresent();
      } catch (CorruptStateException unreadable) {
        LOG.warn(
            "nodb.lock.local: ignoring corrupt prepared state {}: {}",
            prepared,
            unreadable.getMessage());
        return false;
      }
    }

    /** Renames the prepared file over the state (no free space needed). */
    void commitPrepared() throws IOException {
      KeyStateStore.replaceWith(prepared, state);
    }
  }
}
