package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockKey;
import io.nodb.lock.internal.AcquireAttempt;
import io.nodb.lock.internal.OwnerStamp;
import io.nodb.lock.internal.OwnershipResult;
import io.nodb.testpolicy.logging.LogCapture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The local backend on a really full file system: as root (as CI runs) a 256 KiB tmpfs is mounted
 * and filled until {@code ENOSPC}; otherwise (or where mounting is not permitted) the same steps
 * run on a {@link FullDisk} stub, so the test always asserts something and is never skipped.
 */
class LocalLockBackendDiskFullIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final long LEASE = 30_000;
  private static final LockKey KEY = LockKey.of("run-1", "climate.nodb");
  private static final LockKey OTHER = LockKey.of("run-1", "landuse.nodb");

  @TempDir static Path scratch;

  private static Path mountPoint;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  @BeforeAll
  static void mountTmpfsWhenRoot() throws IOException, InterruptedException {
    if (!isRoot()) {
      System.err.println("[disk-full IT] not root: running on the simulated full disk");
      return;
    }
    Path dir = Files.createDirectory(scratch.resolve("tmpfs"));
    if (run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.toString()) == 0) {
      mountPoint = dir;
    } else {
      System.err.println("[disk-full IT] mount refused: running on the simulated full disk");
    }
  }

  @AfterAll
  static void unmount() throws IOException, InterruptedException {
    if (mountPoint != null) {
      assertThat(run("umount", mountPoint.toString())).as("umount " + mountPoint).isZero();
    }
  }

  @Test
  void onAFullDiskReleaseAndForceWorkAcquireFailsCleanlyAndTheNextAcquireIsImmediate()
      throws IOException {
    Disk disk = mountPoint != null ? new RealDisk(mountPoint) : new SimulatedDisk(scratch);
    LocalLockBackend first = new LocalLockBackend(disk.root(), clock, disk.writes());
    LocalLockBackend second = new LocalLockBackend(disk.root(), clock, disk.writes());
    assertThat(first.tryAcquire(KEY, "holder", stamp()).acquired()).isTrue();
    assertThat(first.tryAcquire(OTHER, "stuck", stamp()).acquired()).isTrue();

    disk.fill();

    assertThatThrownBy(() -> second.tryAcquire(LockKey.of("run-1", "new.nodb"), "t", stamp()))
        .isInstanceOf(LockBackendUnavailableException.class)
        .hasMessageContaining("No space left on device");
    assertThat(first.release(KEY, "holder")).isEqualTo(OwnershipResult.ownedByCaller());
    assertThat(second.owner(KEY)).isEmpty();
    assertThat(second.forceUnlock(OTHER, "disk full", "ops")).isPresent();
    assertThat(second.locks("run-1")).isEmpty();
    assertThat(leftovers(disk.root())).isEmpty();

    disk.free();

    // both keys draw from the run's one counter, which handed out 1 and 2 (and 3 if the failed
    // acquire's counter write still found the file system's last free block)
    AcquireAttempt key = second.tryAcquire(KEY, "next", stamp());
    assertThat(key.acquired()).isTrue();
    assertThat(key.fence()).isGreaterThan(2);
    AcquireAttempt other = second.tryAcquire(OTHER, "next", stamp());
    assertThat(other.acquired()).isTrue();
    assertThat(other.fence()).isEqualTo(key.fence() + 1);
    assertThat(leftovers(disk.root())).isEmpty();
    logs.expect(Level.WARN, "cannot record the force of lock run-1/landuse.nodb")
        .from(LocalLockBackend.class.getName())
        .times(1);
    // whether the audit line still fits depends on the file system's last free block
    logs.allow(Level.ERROR, "recording here instead: force lock run-1/landuse.nodb")
        .from(LocalLockBackend.class.getName())
        .times(1);
  }

  private OwnerStamp stamp() {
    return new OwnerStamp("host-a", 4242, "worker-1", clock.millis(), LEASE);
  }

  /** Temporary files left in the run's lock directory. */
  private static List<Path> leftovers(Path root) throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("run-1/.nodb-locks"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  private static boolean isRoot() throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return id.waitFor() == 0 && out.equals("0");
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    return p.exitValue();
  }

  /** A file system that can be filled up and freed again. */
  private interface Disk {
    Path root();

    SpaceWrites writes();

    void fill() throws IOException;

    void free() throws IOException;
  }

  /** The mounted tmpfs, filled with one file until the kernel says {@code ENOSPC}. */
  private record RealDisk(Path root) implements Disk {

    @Override
    public SpaceWrites writes() {
      return SpaceWrites.DIRECT;
    }

    @Override
    public void fill() throws IOException {
      Path filler = root.resolve("filler");
      ByteBuffer block = ByteBuffer.allocate(4096);
      try (FileChannel out =
          FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        while (true) {
          block.clear();
          out.write(block);
        }
      } catch (IOException full) {
        assertThat(full).hasMessageContaining("No space left on device");
      }
      assertThat(Files.getFileStore(root).getUsableSpace()).isZero();
    }

    @Override
    public void free() throws IOException {
      Files.delete(root.resolve("filler"));
    }
  }

  /** The stub, for machines where no file system can be mounted. */
  private record SimulatedDisk(Path root, FullDisk writes) implements Disk {

    SimulatedDisk(Path scratch) {
      this(scratch.resolve("simulated"), new FullDisk());
    }

    @Override
    public void fill() {
      writes.fill();
    }

    @Override
    public void free() {
      writes.free();
    }
  }
}
