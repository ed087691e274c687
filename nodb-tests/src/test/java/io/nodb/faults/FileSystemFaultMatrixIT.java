package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.nodb.NoDbException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.store.NoDbStore;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The file-system fault matrix: a full disk, a read-only file system and a directory without write
 * permission, each under the store on both lock backends. For every cell: the failed mutation is a
 * typed error, the controller file is byte-for-byte what it was, no temp file is left, nobody holds
 * the lock afterwards, and once the fault is gone the next mutation succeeds at once. (Links,
 * FIFOs, devices and huge files are the other half of the matrix, in {@link
 * io.nodb.testing.contract.StoreSafetyContract}; corrupt content is fuzzed in {@link
 * EnvelopeFuzzTest}.)
 *
 * <p>As root (CI runs as root) the runs root is a small tmpfs mounted by the test, filled to the
 * last byte or remounted read-only. Without root the full-disk and read-only cells fall back to a
 * directory without write permission, so the invariant is still checked.
 */
@ExtendWith(RedisExtension.class)
class FileSystemFaultMatrixIT {

  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  @TempDir Path mountPoint;
  private boolean mounted;

  /** A fault of the file system under a run. */
  enum FsFault {
    DISK_FULL,
    READ_ONLY_FILE_SYSTEM,
    NO_WRITE_PERMISSION
  }

  @BeforeEach
  void mount() throws Exception {
    if (ROOT) {
      run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.toString());
      mounted = true;
    }
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      run("umount", mountPoint.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void diskFull(Backend backend, TestRedis redis) throws Exception {
    cell(backend, redis, FsFault.DISK_FULL);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void readOnlyFileSystem(Backend backend, TestRedis redis) throws Exception {
    cell(backend, redis, FsFault.READ_ONLY_FILE_SYSTEM);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void noWritePermission(Backend backend, TestRedis redis) throws Exception {
    cell(backend, redis, FsFault.NO_WRITE_PERMISSION);
  }

  private void cell(Backend backend, TestRedis redis, FsFault fault) throws Exception {
    Path runsRoot = Files.createDirectories(mountPoint.resolve("runs"));
    try (Fixture f = new Fixture(backend, redis, runsRoot)) {
      LockClient client = f.client();
      NoDbStore store = f.store(client);
      Path run = f.newRun("fs");
      Counter c = store.create(Counter.class, run, s -> s.label = "before");
      c.increment();
      Path file = c.file();
      byte[] before = Files.readAllBytes(file);
      Runnable undo = inject(fault, run);
      Throwable failed;
      try {
        // a mutation that needs more space than the file had
        failed = catchThrowable(() -> c.locked(s -> s.label = "x".repeat(64 * 1024)));
        if (failed == null) {
          // only root ignores permission bits: then the write may land, and must be whole
          assertThat(fault).isEqualTo(FsFault.NO_WRITE_PERMISSION);
          assertThat(ROOT).isTrue();
        } else {
          assertThat(failed).isInstanceOf(NoDbException.class);
          assertThat(Files.readAllBytes(file)).as("the controller file").isEqualTo(before);
        }
        assertThat(Files.exists(file.resolveSibling(".counter.nodb.tmp")))
            .as("temp file left by the failed dump")
            .isFalse();
      } finally {
        undo.run();
      }
      // (on a read-only file system the local backend cannot even take its guard to look)
      assertThat(client.owner(c.lockKey())).as("the lock is not held").isEmpty();
      Optional<LockHandle> next = client.tryAcquire(c.lockKey());
      assertThat(next).as("the lock can be taken at once").isPresent();
      next.get().close();
      c.locked(s -> s.label = "after");
      assertThat(store.getInstance(Counter.class, run).state().label).isEqualTo("after");
      assertThat(c.count()).as("nothing lost").isEqualTo(1);
    }
  }

  /** Injects the fault; returns what removes it. */
  private Runnable inject(FsFault fault, Path run) throws Exception {
    if (!ROOT || fault == FsFault.NO_WRITE_PERMISSION) {
      Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("r-xr-xr-x"));
      return () ->
          uncheck(
              () ->
                  Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    if (fault == FsFault.READ_ONLY_FILE_SYSTEM) {
      run("mount", "-o", "remount,ro", mountPoint.toString());
      return () -> uncheck(() -> run("mount", "-o", "remount,rw", mountPoint.toString()));
    }
    Path filler = mountPoint.resolve("filler");
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[4096];
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left on device");
    }
    return () -> uncheck(() -> Files.delete(filler));
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
  }

  private interface Io {
    void run() throws Exception;
  }

  private static void uncheck(Io io) {
    try {
      io.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
