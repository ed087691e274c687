package io.nodb.lock.internal.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.lock.FenceLimitException;
import io.nodb.lock.Fences;
import io.nodb.lock.LockKey;
import io.nodb.lock.LossReason;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-wide files of one lock directory: the fence counter ({@code fence.counter}, {@code
 * {"format":2,"fence":N}}) and the tokens recently evicted from any of its keys ({@code
 * evictions.json}), see {@link LockPaths}.
 *
 * <p>Every fence of every key of the run is drawn from the counter, which is made durable (temp
 * file, fsync, rename, fsync of the directory) <em>before</em> the caller writes the key's state
 * file, so a crash at any point can skip a fence but never hand one out twice; state files can then
 * be deleted on release. When the counter does not exist yet it starts at the highest fence found
 * in the directory's state files, including those of the old per-key layout ({@code B.lock}, {@code
 * B.lock.released}), so a run upgraded from that layout goes on above every fence it handed out.
 *
 * <p>Changes happen under the run guard ({@code run.mutex}): an in-JVM lock and an OS file lock,
 * taken while the caller holds a key's stripe (never the other way round, so the two cannot
 * deadlock). Reads ({@link #peek}, {@link #reasonFor}) take no lock: both files are only ever
 * replaced whole. Nothing is reached through a symbolic link ({@link SafeFiles}). Thread-safe.
 * Every method throws {@link IOException} when the files cannot be read or written ({@link
 * CorruptStateException} for a counter that does not parse or is outside {@code 0..}{@link
 * Fences#MAX}).
 */
final class RunRecords {

  private static final Logger LOG = LoggerFactory.getLogger(LocalLockBackend.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FORMAT = 2;
  private static final int MAX_BYTES = 64 << 10;

  /** The in-JVM side of every run guard (separate from the stripes, which are held meanwhile). */
  private static final KeyMutexes RUN_WIDE = new KeyMutexes(64);

  private final Path dir;
  private final Path counter;
  private final SpaceWrites writes;

  /**
   * Creates the records of a lock directory.
   *
   * @param lockDir the run's lock directory, by its canonical path
   * @param writes the writer of bytes (a seam for tests of a full disk)
   */
  RunRecords(Path lockDir, SpaceWrites writes) {
    this.dir = lockDir;
    this.counter = lockDir.resolve(LockPaths.COUNTER_FILE);
    this.writes = writes;
  }

  /** Returns the counter file. */
  Path counterFile() {
    return counter;
  }

  /**
   * Returns the counter's value without locking, 0 if it was not made yet.
   *
   * @return the highest fence handed out in the run (at least)
   * @throws IOException if the counter cannot be read or is corrupt
   */
  long peek() throws IOException {
    return readCounter().orElse(0L);
  }

  /**
   * Draws the next fence: {@code max(counter, atLeast) + 1}, durable when this returns.
   *
   * @param atLeast a fence the new one must exceed (the key's recorded fence, a lift's floor)
   * @param key the key, for the bound's message
   * @param op the operation, for the bound's message
   * @return the new fence
   * @throws FenceLimitException if the new fence would exceed {@link Fences#MAX}; nothing changes
   * @throws IOException if the counter cannot be read or made durable
   */
  long next(long atLeast, LockKey key, String op) throws IOException {
    return guarded(
        () -> {
          long current = current();
          long base = Math.max(current, atLeast);
          if (base >= Fences.MAX) {
            throw new FenceLimitException(key, "max(" + current + ", " + atLeast + ") + 1", op);
          }
          writeCounter(base + 1);
          return base + 1;
        });
  }

  /**
   * Raises the counter to {@code fence} if it is below (before a state file carrying that fence is
   * deleted), durable when this returns. Needs no free space when the counter is already there. A
   * counter that does not parse is repaired first (as by {@link #repairCounter}), so a corrupt
   * counter never keeps a holder from releasing, nor an operator from forcing.
   *
   * @param fence the fence
   * @param nowMillis the current time, for the name of a corrupt counter moved aside
   * @throws IOException if the counter cannot be read or made durable
   */
  void fold(long fence, long nowMillis) throws IOException {
    if (fence <= 0) {
      return;
    }
    try {
      if (peek() >= fence) {
        return;
      }
    } catch (CorruptStateException corrupt) {
      // repaired below, under the run guard
    }
    guarded(
        () -> {
          Optional<Long> value = readOrRepair(nowMillis);
          long current = value.isPresent() ? value.get() : highestRecordedFence();
          if (value.isEmpty() || fence > current) {
            writeCounter(Math.min(Math.max(current, fence), Fences.MAX));
          }
          return null;
        });
  }

  /**
   * Moves a counter that does not parse aside ({@code fence.counter.corrupt-<millis>}, never
   * deleted) and starts it again from the fences recorded in the directory.
   *
   * @param nowMillis the current time, for the name of the moved file
   * @throws IOException if the files cannot be changed
   */
  void repairCounter(long nowMillis) throws IOException {
    guarded(
        () -> {
          readOrRepair(nowMillis);
          return null;
        });
  }

  /**
   * Reads the counter; one that does not parse is moved aside and restarted from the fences the
   * directory's state files record (read while they are still there, so the fence of a state file
   * about to be deleted is covered and fences never go back below a recorded one). Called under the
   * run guard.
   */
  private Optional<Long> readOrRepair(long nowMillis) throws IOException {
    try {
      return readCounter();
    } catch (CorruptStateException corrupt) {
      Path aside = counter.resolveSibling(LockPaths.corruptName(LockPaths.COUNTER_FILE, nowMillis));
      Files.move(counter, aside);
      long restart = highestRecordedFence();
      writeCounter(restart);
      LOG.warn(
          "nodb.lock.local: moved corrupt fence counter {} aside to {} ({}); the run goes on"
              + " from fence {}, the highest its lock files record (fenced store files stay"
              + " safe: the store lifts fences above its files')",
          counter,
          aside.getFileName(),
          corrupt.getMessage(),
          restart);
      return Optional.of(restart);
    }
  }

  /**
   * Records evicted tokens (oldest first), dropping stale and excess entries.
   *
   * @param evicted the evictions
   * @param nowMillis the current time, epoch millis
   * @throws IOException if the record cannot be written (it is then unchanged)
   */
  void recordEvictions(List<EvictionLog.Eviction> evicted, long nowMillis) throws IOException {
    if (evicted.isEmpty()) {
      return;
    }
    guarded(
        () -> {
          EvictionLog log = readEvictionsOrEmpty().withAll(evicted, nowMillis);
          ObjectNode root = JSON.createObjectNode();
          root.put("format", FORMAT);
          ArrayNode entries = root.putArray("evicted");
          for (EvictionLog.Eviction e : log.entries()) {
            entries
                .addObject()
                .put("token", e.token())
                .put("reason", e.reason().name())
                .put("atMillis", e.atMillis());
          }
          KeyStateStore.writeBytes(
              dir.resolve(LockPaths.EVICTIONS_FILE),
              dir.resolve(LockPaths.EVICTIONS_TEMP),
              JSON.writeValueAsBytes(root),
              writes,
              true);
          return null;
        });
  }

  /**
   * Returns why {@code token} was recently evicted from a key of the run, if it was. An unreadable
   * record counts as none (the holder is then told it expired or was taken over: still a loss).
   *
   * @param token the token
   * @param nowMillis the current time, epoch millis
   * @return FORCED or CLEARED, or empty
   */
  Optional<LossReason> reasonFor(String token, long nowMillis) {
    try {
      return readEvictions().flatMap(log -> log.reasonFor(token, nowMillis));
    } catch (IOException unreadable) {
      LOG.debug("nodb.lock.local: cannot read evictions of {}: {}", dir, unreadable.toString());
      return Optional.empty();
    }
  }

  /** Returns the record, empty if it does not parse (it is advisory); a link is refused. */
  private EvictionLog readEvictionsOrEmpty() throws SymlinkRefusedException {
    try {
      return readEvictions().orElseGet(EvictionLog::empty);
    } catch (SymlinkRefusedException refused) {
      throw refused;
    } catch (IOException unreadable) {
      LOG.warn(
          "nodb.lock.local: replacing unreadable eviction record {}: {}",
          dir.resolve(LockPaths.EVICTIONS_FILE),
          unreadable.getMessage());
      return EvictionLog.empty();
    }
  }

  private Optional<EvictionLog> readEvictions() throws IOException {
    Path file = dir.resolve(LockPaths.EVICTIONS_FILE);
    Optional<JsonNode> root = parse(file);
    if (root.isEmpty()) {
      return Optional.empty();
    }
    List<EvictionLog.Eviction> entries = new ArrayList<>();
    for (JsonNode e : root.get().path("evicted")) {
      entries.add(
          new EvictionLog.Eviction(
              e.path("token").asText(),
              KeyStateStore.reason(file, e.path("reason").asText()),
              e.path("atMillis").asLong()));
    }
    return Optional.of(new EvictionLog(entries));
  }

  /** Returns the counter, starting it from the directory's fences if it does not exist. */
  private long current() throws IOException {
    Optional<Long> value = readCounter();
    return value.isPresent() ? value.get() : highestRecordedFence();
  }

  private Optional<Long> readCounter() throws IOException {
    Optional<JsonNode> root = parse(counter);
    if (root.isEmpty()) {
      return Optional.empty();
    }
    JsonNode fence = root.get().path("fence");
    if (root.get().path("format").asInt() != FORMAT
        || !fence.isIntegralNumber()
        || !fence.canConvertToLong()
        || fence.asLong() < 0
        || fence.asLong() > Fences.MAX) {
      throw new CorruptStateException(
          "corrupt fence counter: "
              + counter
              + " is not {\"format\":"
              + FORMAT
              + ",\"fence\":<0.."
              + Fences.MAX
              + ">}",
          null);
    }
    return Optional.of(fence.asLong());
  }

  private void writeCounter(long fence) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("fence", fence);
    KeyStateStore.writeBytes(
        counter, dir.resolve(LockPaths.COUNTER_TEMP), JSON.writeValueAsBytes(root), writes, true);
  }

  /**
   * Returns the highest fence in the directory's state files (both layouts) and the old layout's
   * prepared released states; files that are links, corrupt or unreadable are skipped (a clear
   * reports and repairs them).
   */
  private long highestRecordedFence() throws IOException {
    long highest = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!LockPaths.isStateFile(name) && !name.endsWith(LockPaths.LEGACY_PREPARED_SUFFIX)) {
          continue;
        }
        try {
          Optional<KeyState> state = KeyStateStore.readExisting(entry, name);
          if (state.isPresent()) {
            highest = Math.max(highest, state.get().fence());
          }
        } catch (IOException skipped) {
          LOG.debug("nodb.lock.local: fence scan skips {}: {}", entry, skipped.toString());
        }
      }
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
    return highest;
  }

  private static Optional<JsonNode> parse(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = SafeFiles.readAll(file, MAX_BYTES);
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    }
    try {
      JsonNode root = KeyStateStore.STRICT.readTree(bytes);
      if (root == null || !root.isObject()) {
        throw new CorruptStateException("corrupt lock record: " + file + " is not an object", null);
      }
      return Optional.of(root);
    } catch (JsonProcessingException e) {
      throw new CorruptStateException("corrupt lock record: " + file + " is not JSON", e);
    }
  }

  private <T> T guarded(KeyMutexes.GuardedIo<T> action) throws IOException {
    return RUN_WIDE.withKey(dir.resolve(LockPaths.RUN_GUARD), action);
  }
}
