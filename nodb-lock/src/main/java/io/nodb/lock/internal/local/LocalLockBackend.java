package io.nodb.lock.internal.local;

import io.nodb.InvalidRunIdException;
import io.nodb.lock.AuditEntry;
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
 * <p>Layout ({@link LockPaths}): the locks of run {@code R} live in {@code
 * <runsRoot>/R/.nodb-locks/}, one state file per <em>held</em> key (holder, fence, expiry), the
 * run's one fence counter, a fixed set of {@value LockPaths#STRIPES} striped guard files, the run's
 * record of evicted tokens and its {@code audit.log}: however many names were ever locked, the
 * directory holds a bounded number of files beside the held locks' (released names leave nothing).
 * That directory is the run's index, so listing and clearing a run never look outside it. Every
 * operation on a key holds an in-JVM lock and then an exclusive OS file lock on its stripe's guard
 * file (never deleted); a new fence is drawn from the run's counter ({@link RunRecords}), durable
 * before the key's state file is replaced atomically (temp file, fsync, rename), so a crash at any
 * point never reuses a fence. A release checks the token and deletes the state file, which needs no
 * free space, so a full disk cannot keep a lock held until its lease runs out (an acquisition on a
 * full disk fails typed, with nothing held and no temporary file left). Files of the old per-key
 * layout are read, their fences folded into the counter, and removed when their key is next
 * acquired or the run is cleared. Nothing in {@code .nodb-locks} (nor the directory itself) is ever
 * reached through a symbolic link: a planted link makes the operation fail typed, naming the link.
 * Fences stay within {@link Fences#MAX}, a bound the run's keys share. Operations on a whole run
 * visit its keys one at a time in name order: {@link #clearRun} is not a snapshot, and a lock taken
 * after its key was visited survives. Expiry is judged by the injected wall clock, so the processes
 * sharing a runs root must agree on the time.
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
          domains.check(paths.runDir(key.namespace().tag()), adopt -> LockDomain.LOCAL);
          KeyState state = files.read(key);
          Optional<String> live = state.liveHolder(now);
          if (live.isPresent()) {
            return AcquireAttempt.held(Optional.of(info(key, state, live.get(), now)));
          }
          if (state.legacy()) {
            files.keepLegacyEvictions(state, now);
          }
          // the counter is durable before the state names the fence: a crash skips, never reuses
          long fence = files.records().next(state.fence(), key, "acquire");
          String value = LockValueCodec.encode(token, fence, owner);
          files.write(state.acquired(value, fence, expiresAt(now, owner.leaseMillis())));
          if (state.legacy()) {
            files.deleteLegacyFiles(now);
          }
          return AcquireAttempt.acquired(fence);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here a release deletes the key's state file, which needs no free space, so it works on a
   * full disk; the run's counter already covers the holder's fence (if another tool raised the
   * fence in the file, the counter is raised first, which needs space).
   */
  @Override
  public OwnershipResult release(LockKey key, String token) {
    return guarded(
        key,
        "release",
        (files, now) -> {
          KeyState state = files.read(key);
          if (!state.isHeldBy(token, now)) {
            return OwnershipResult.lost(lossReason(files, state, token, now));
          }
          files.retire(state, now);
          mutexes.signalReleased(files.guard());
          return OwnershipResult.ownedByCaller();
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here the state keeps its holder with the new expiry, and this JVM's waiters are woken to
   * re-read it.
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
            return OwnershipResult.lost(lossReason(files, state, token, now));
          }
          // + 1: "now" is truncated to the millisecond, and the hold is a lower bound
          files.write(state.extended(expiresAt(now, expiresAt(holdMillis, 1))));
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
            return OwnershipResult.lost(lossReason(files, state, token, now));
          }
          files.write(state.extended(expiresAt(now, leaseMillis)));
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
          long lifted =
              files.records().next(Math.max(state.fence(), floor), key, "lift the fence of");
          files.write(
              state.acquired(
                  parts[0] + "|" + lifted + "|" + parts[2], lifted, state.expiresAtMillis()));
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
   * deleted) and the key goes on from the run's fence counter, which covers every fence handed out
   * since the run's counter was made. A fence counter that does not parse is repaired first, as
   * {@link #clearRun} repairs it. The state file of a holder whose lease ran out is removed.
   */
  @Override
  public Optional<LockInfo> forceUnlock(
      LockKey key, String expectedDigest, String reason, String actor) {
    if (!lockDirExists(key)) {
      return Optional.empty();
    }
    Path dir = canonicalLockDir(key.namespace().tag());
    try {
      // a corrupt counter must not keep the operator from freeing the key (as on Redis)
      new RunRecords(dir, writes).repairCounter(clock.millis());
    } catch (IOException e) {
      throw unavailable("repair the fence counter", dir.resolve(LockPaths.COUNTER_FILE), e);
    }
    return evict(key, LossReason.FORCED, "force", reason, actor, expectedDigest);
  }

  /**
   * {@inheritDoc}
   *
   * <p>State files that do not parse are repaired as {@link #forceUnlock} repairs one (and not
   * listed in the result, as their holder is unknown); a fence counter that does not parse is moved
   * aside ({@code fence.counter.corrupt-<millis>}) and restarts from the highest fence the lock
   * files record. The files of the old per-key layout whose key is not held by an old-layout holder
   * are removed after their fences are folded into the counter.
   */
  @Override
  public List<LockInfo> clearRun(String runId, String reason, String actor) {
    Listing listing = listing(runId);
    if (!listing.present()) {
      return List.of();
    }
    Path dir = canonicalLockDir(runId);
    try {
      new RunRecords(dir, writes).repairCounter(clock.millis());
    } catch (IOException e) {
      throw unavailable("repair the fence counter", dir.resolve(LockPaths.COUNTER_FILE), e);
    }
    for (Path corrupt : listing.corrupt()) {
      repairByFile(runId, corrupt);
    }
    List<LockInfo> evicted = new ArrayList<>();
    for (LockKey key : listing.keys()) {
      evict(key, LossReason.CLEARED, "clear", reason, actor, null).ifPresent(evicted::add);
    }
    for (String base : listing.legacy()) {
      sweepLegacy(dir, base);
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
    Path file = paths.auditLog(io.nodb.lock.LockNamespace.parse(runId).tag());
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
    Path dir = canonicalLockDir(key.namespace().tag());
    KeyFiles files = KeyFiles.of(dir, LockPaths.base(key.name()), writes);
    mutexes.awaitReleased(files.guard(), () -> Math.min(bound, ttlLeftNanos(files.state(), key)));
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
   * Evicts a live holder: audit line first, then the record of the evicted token, then the state
   * file is removed, then the wake-up. A free key is not audited (the state file of an expired
   * holder is removed). On a full disk the eviction still happens: an audit line that cannot be
   * appended is logged at ERROR in full instead (a link at the audit log is still refused), and an
   * eviction that cannot be recorded is not (the holder is then told EXPIRED or TAKEN_OVER, still a
   * loss). A state file that does not parse is repaired (see {@link #forceUnlock}).
   */
  private Optional<LockInfo> evict(
      LockKey key, LossReason loss, String op, String reason, String actor, String expected) {
    return guarded(
        key,
        op,
        (files, now) -> {
          Optional<KeyState> stored;
          try {
            stored = KeyStateStore.readExisting(files.state(), key.name());
          } catch (CorruptStateException corrupt) {
            repair(files, now, corrupt);
            return Optional.empty();
          }
          if (stored.isEmpty()) {
            return Optional.empty();
          }
          KeyState state = stored.get();
          Optional<String> live = state.liveHolder(now);
          if (live.isEmpty()) {
            files.retire(state, now);
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
            files
                .records()
                .recordEvictions(
                    List.of(
                        new EvictionLog.Eviction(LockValueCodec.tokenOf(live.get()), loss, now)),
                    now);
          } catch (SymlinkRefusedException refused) {
            throw refused;
          } catch (IOException e) {
            LOG.warn(
                "nodb.lock.local: cannot record the {} of lock {} ({}); freed it anyway, so its"
                    + " holder will learn only that it lost the lock",
                op,
                key,
                e.toString());
          }
          files.retire(state, now);
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
   * Moves a corrupt state file aside (under the key's locks); the key goes on from the run's
   * counter.
   */
  private void repair(KeyFiles files, long now, CorruptStateException why) throws IOException {
    Path state = files.state();
    Path aside = state.resolveSibling(LockPaths.corruptName(state.getFileName().toString(), now));
    Files.move(state, aside);
    KeyStateStore.forceDirectory(state.getParent());
    String counter;
    try {
      counter = Long.toString(files.records().peek());
    } catch (IOException unreadable) {
      counter = "unknown (" + unreadable.getMessage() + ")";
    }
    LOG.warn(
        "nodb.lock.local: moved corrupt lock state {} aside to {} ({}); the key goes on above the"
            + " run's fence counter, {} (fenced store files stay safe: the store lifts fences above"
            + " its files')",
        state,
        aside.getFileName(),
        why.getMessage(),
        counter);
  }

  /** Repairs a corrupt state file found by a listing, under the locks of the key it belongs to. */
  private void repairByFile(String runId, Path stateFile) {
    String fileName = stateFile.getFileName().toString();
    String base = fileName.substring(0, fileName.length() - LockPaths.STATE_SUFFIX.length());
    try {
      KeyFiles files = KeyFiles.of(canonicalLockDir(runId), base, writes);
      mutexes.withKey(
          files.guard(),
          () -> {
            try {
              KeyStateStore.readExisting(files.state(), base);
            } catch (CorruptStateException stillCorrupt) {
              repair(files, clock.millis(), stillCorrupt);
            }
            return null;
          });
    } catch (IOException e) {
      throw unavailable("repair corrupt lock state", stateFile, e);
    }
  }

  /**
   * Removes the old per-key layout's files of a base (under its stripe) unless an old-layout holder
   * still holds the key, after folding their fences into the run's counter. Files that are links or
   * do not parse are left alone (listings report them).
   */
  private void sweepLegacy(Path dir, String base) {
    KeyFiles files = KeyFiles.of(dir, base, writes);
    try {
      mutexes.withKey(
          files.guard(),
          () -> {
            long now = clock.millis();
            Optional<KeyState> state;
            try {
              state = KeyStateStore.readExisting(files.state(), base);
            } catch (CorruptStateException corrupt) {
              state = Optional.empty(); // repaired by the clear, or a foreign file: not ours
            }
            if (state.isPresent() && state.get().legacy()) {
              if (state.get().liveHolder(now).isPresent()) {
                return null;
              }
              files.retire(state.get(), now);
            } else {
              files.deleteLegacyFiles(now);
            }
            return null;
          });
    } catch (IOException e) {
      throw unavailable(
          "remove the old lock files of", dir.resolve(base + LockPaths.STATE_SUFFIX), e);
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

  /** Whether a directory name is a namespace's tag: a run id, or {@code kind:id}. */
  private static boolean validRunId(String name) {
    return io.nodb.lock.LockNamespace.ofTag(name).isPresent();
  }

  /**
   * A run's keys by name, the state files that could not be read, and the bases that have files of
   * the old per-key layout.
   */
  private record Listing(
      boolean present, List<LockKey> keys, List<Path> corrupt, List<String> legacy) {}

  /** Returns whether the key's lock directory exists (a link there is refused, typed). */
  private boolean lockDirExists(LockKey key) {
    Path dir = paths.lockDir(key.namespace().tag());
    try {
      return SafeFiles.isDirectory(dir);
    } catch (IOException e) {
      throw unavailable("use lock " + key + " in", dir, e);
    }
  }

  /** Returns the keys recorded in a run's lock directory, by name; none if it does not exist. */
  private Listing listing(String runId) {
    io.nodb.lock.LockNamespace.parse(runId);
    Path dir = paths.lockDir(runId);
    TreeSet<String> names = new TreeSet<>();
    List<Path> corrupt = new ArrayList<>();
    TreeSet<String> legacy = new TreeSet<>();
    try {
      if (!SafeFiles.isDirectory(dir)) {
        return new Listing(false, List.of(), List.of(), List.of());
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          String fileName = entry.getFileName().toString();
          String legacyBase = LockPaths.legacyBase(fileName);
          if (legacyBase != null) {
            legacy.add(legacyBase);
            continue;
          }
          if (!LockPaths.isStateFile(fileName)) {
            continue;
          }
          if (Files.isSymbolicLink(entry)) {
            LOG.warn("nodb.lock.local: ignoring symbolic link {} (never followed)", entry);
            continue;
          }
          try {
            Optional<KeyState> state = KeyStateStore.readExisting(entry, null);
            if (state.isPresent()) {
              names.add(state.get().name());
              if (state.get().legacy()) {
                legacy.add(
                    fileName.substring(0, fileName.length() - LockPaths.STATE_SUFFIX.length()));
              }
            }
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
        keys.add(LockKey.of(io.nodb.lock.LockNamespace.parse(runId), name));
      } catch (InvalidRunIdException foreign) {
        LOG.warn("nodb.lock.local: ignoring state file with invalid lock name in {}", dir);
      }
    }
    return new Listing(true, keys, corrupt, List.copyOf(legacy));
  }

  /**
   * Runs work on a key under its locks, in the run's lock directory by its canonical path. The run
   * directory may be reached through links (it is resolved); the lock directory and its files never
   * are.
   */
  private <T> T guarded(LockKey key, String op, KeyWork<T> work) {
    Path runDir = paths.runDir(key.namespace().tag());
    Path dir = paths.lockDir(key.namespace().tag());
    try {
      Files.createDirectories(runDir);
      SafeFiles.ensureDirectory(dir);
      KeyFiles files =
          KeyFiles.of(
              runDir.toRealPath().resolve(LockPaths.LOCK_DIR), LockPaths.base(key.name()), writes);
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

  /**
   * Returns {@code now + millis}, saturated instead of wrapping: a wrapped expiry would lie in the
   * past and make a held key look free while its holder's handle is valid.
   */
  static long expiresAt(long now, long millis) {
    long sum = now + millis;
    if (((now ^ sum) & (millis ^ sum)) < 0) {
      return now < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }

  private static LossReason lossReason(KeyFiles files, KeyState state, String token, long now) {
    return state
        .evictions()
        .reasonFor(token, now)
        .or(() -> files.records().reasonFor(token, now))
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

  /**
   * The files of one key (by its file name base) in the canonical lock directory: its state file,
   * its stripe's guard and temporary file, and the run's records.
   */
  private record KeyFiles(
      Path dir,
      String base,
      Path state,
      Path guard,
      Path temp,
      RunRecords records,
      SpaceWrites writes) {

    static KeyFiles of(Path lockDir, String base, SpaceWrites writes) {
      int stripe = LockPaths.stripe(base);
      return new KeyFiles(
          lockDir,
          base,
          lockDir.resolve(base + LockPaths.STATE_SUFFIX),
          LockPaths.stripeGuard(lockDir, stripe),
          LockPaths.stripeTemp(lockDir, stripe),
          new RunRecords(lockDir, writes),
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
     * Removes the state file once the run's counter covers its fence (a fold that needs space only
     * when another tool raised the fence), with the old layout's files of the key, and forces the
     * directory.
     */
    void retire(KeyState current, long now) throws IOException {
      records.fold(current.fence(), now);
      if (current.legacy()) {
        keepLegacyEvictions(current, now);
      }
      Files.deleteIfExists(state);
      if (current.legacy()) {
        deleteLegacyFiles(now);
      }
      KeyStateStore.forceDirectory(dir);
    }

    /**
     * Moves the evictions an old-layout state file records into the run's record, best effort (they
     * only tell evicted holders why; a holder not told still learns it lost the lock).
     */
    void keepLegacyEvictions(KeyState legacy, long now) {
      try {
        records.recordEvictions(legacy.evictions().entries(), now);
      } catch (IOException e) {
        LOG.debug("nodb.lock.local: cannot keep the evictions of {}: {}", state, e.toString());
      }
    }

    /**
     * Deletes the old per-key layout's guard, prepared released state and temporary file of the
     * key, after folding the prepared state's fence into the counter. The old guard is safe to
     * delete because old-layout processes must not run beside this version (see AGENTS.md).
     */
    void deleteLegacyFiles(long now) throws IOException {
      Path prepared = dir.resolve(base + LockPaths.LEGACY_PREPARED_SUFFIX);
      Optional<KeyState> old;
      try {
        old = KeyStateStore.readExisting(prepared, base);
      } catch (CorruptStateException | SymlinkRefusedException unreadable) {
        LOG.debug(
            "nodb.lock.local: ignoring old prepared state {}: {}", prepared, unreadable.toString());
        old = Optional.empty();
      }
      if (old.isPresent()) {
        records.fold(old.get().fence(), now);
      }
      Files.deleteIfExists(prepared);
      Files.deleteIfExists(dir.resolve(base + LockPaths.LEGACY_TEMP_SUFFIX));
      Files.deleteIfExists(dir.resolve(base + LockPaths.LEGACY_GUARD_SUFFIX));
    }
  }
}
