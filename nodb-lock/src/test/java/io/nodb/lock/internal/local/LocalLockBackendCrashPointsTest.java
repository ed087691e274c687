package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockKey;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.OwnerStamp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process that dies in the middle of a local lock operation (here: an {@link Error} thrown from
 * the k-th write that needs space, which skips every cleanup as a SIGKILL would, leaving the
 * half-written temporary file) never makes a later process hand out a fence twice or below one
 * already handed out, and leaves no file that accumulates.
 */
class LocalLockBackendCrashPointsTest {

  private static final long LEASE = 30_000;
  private static final LockKey KEY = LockKey.of("run-1", "climate.nodb");
  private static final LockKey OTHER = LockKey.of("run-1", "landuse.nodb");

  @TempDir Path root;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  /** Dies at the write numbered {@code crashAt} (1-based), counting from its creation. */
  private static final class DyingDisk implements SpaceWrites {
    private final int crashAt;
    private final AtomicInteger writes = new AtomicInteger();
    final List<Path> written = new ArrayList<>();

    DyingDisk(int crashAt) {
      this.crashAt = crashAt;
    }

    @Override
    public void write(Path file, FileChannel channel, ByteBuffer bytes) throws IOException {
      written.add(file.getFileName());
      if (writes.incrementAndGet() == crashAt) {
        channel.write(bytes.slice(bytes.position(), Math.min(3, bytes.remaining())));
        throw new Error("simulated crash writing " + file);
      }
      SpaceWrites.DIRECT.write(file, channel, bytes);
    }
  }

  /**
   * Each operation's writes, in order: acquire = counter, state; lift = counter, state; extend =
   * state; force = audit line, eviction record. Crashing at each of them in turn: the next process
   * goes on above every fence handed out.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
  void aCrashAtAnyWriteNeverLetsALaterProcessReuseAFence(int crashAt) throws IOException {
    LocalLockBackend healthy = new LocalLockBackend(root, clock);
    assertThat(healthy.tryAcquire(OTHER, "other", stamp()).fence()).isEqualTo(1);
    long handedOut = 1;
    DyingDisk disk = new DyingDisk(crashAt);
    LocalLockBackend dying = new LocalLockBackend(root, clock, disk);
    try {
      AcquireAttempt first = dying.tryAcquire(KEY, "first", stamp()); // writes 1, 2
      handedOut = Math.max(handedOut, first.fence());
      handedOut = Math.max(handedOut, dying.liftFence(KEY, "first", 10)); // writes 3, 4
      dying.extend(KEY, "first", LEASE); // write 5
      dying.forceUnlock(KEY, "r", "a"); // writes 6, 7
      AcquireAttempt second = dying.tryAcquire(KEY, "second", stamp()); // writes 8, 9
      handedOut = Math.max(handedOut, second.fence());
      assertThat(crashAt).as("the crash point was reached").isGreaterThan(9);
    } catch (Error crash) {
      assertThat(crash).hasMessageStartingWith("simulated crash writing");
    }

    // the next process: the dead one's lock (if any) is forced, then fences go on above all
    LocalLockBackend next = new LocalLockBackend(root, clock);
    next.forceUnlock(KEY, "after crash", "test");
    AcquireAttempt after = next.tryAcquire(KEY, "after", stamp());
    assertThat(after.fence()).isGreaterThan(handedOut).isGreaterThan(1);
    assertThat(next.release(KEY, "after").owned()).isTrue();
    assertThat(next.release(OTHER, "other").owned()).isTrue();
    assertThat(next.forceUnlock(KEY, "again", "test")).isEmpty();
    // nothing held, and a temp left by the crash was reused by the next write of its kind
    try (Stream<Path> files = Files.list(root.resolve("run-1/.nodb-locks"))) {
      assertThat(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith(".lock") || n.endsWith(".tmp")))
          .isEmpty();
    }
  }

  @Test
  void theWritesOfAnAcquisitionAreTheCounterFirstThenTheState() throws IOException {
    DyingDisk disk = new DyingDisk(Integer.MAX_VALUE);
    LocalLockBackend backend = new LocalLockBackend(root, clock, disk);

    assertThat(backend.tryAcquire(KEY, "t", stamp()).acquired()).isTrue();

    assertThat(disk.written)
        .containsExactly(
            Path.of(LockPaths.COUNTER_TEMP),
            LockPaths.stripeTemp(Path.of(""), LockPaths.stripe(KEY.name())).getFileName());
  }

  private OwnerStamp stamp() {
    return new OwnerStamp("host-a", 4242, "worker-1", clock.millis(), LEASE);
  }
}
