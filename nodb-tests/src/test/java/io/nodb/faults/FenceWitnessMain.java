package io.nodb.faults;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.testing.workers.WorkerArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker JVM for {@link LocalLockFilesUnderKillIT}: holds local locks {@code res-<k>.nodb} of one
 * run in a loop and checks each hold against a witness file per key that only holders write
 * (atomically): the previous holder's fence must be below its own (fences strictly increasing per
 * key, whoever was killed before), and the witness must not change while its handle is valid (no
 * overlap; a holder that stalled past its lease prints {@code stale} and writes nothing). Arguments
 * {@code name=value}: {@code runsRoot}, {@code run}, {@code keys}, {@code witness} (a directory),
 * {@code lease} (ms), {@code stopFile}. Output: {@code ready}, {@code hold <key> <fence>} per hold,
 * {@code violation …} per broken guarantee, {@code done} at the stop file.
 */
public final class FenceWitnessMain {

  private FenceWitnessMain() {}

  /**
   * Runs the loop until the stop file exists.
   *
   * @param args see the class comment
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    WorkerArgs a = WorkerArgs.parse(args);
    Path runsRoot = Path.of(a.get("runsRoot", null));
    String run = a.get("run", null);
    int keys = Integer.parseInt(a.get("keys", "4"));
    Path witness = Path.of(a.get("witness", null));
    Duration lease = Duration.ofMillis(Long.parseLong(a.get("lease", "1000")));
    Path stopFile = Path.of(a.get("stopFile", null));
    long pid = ProcessHandle.current().pid();
    try (LockClient client =
        LockClient.builder().local(runsRoot).releaseOnShutdown(false).build()) {
      System.out.println("ready");
      while (!Files.exists(stopFile)) {
        int k = ThreadLocalRandom.current().nextInt(keys);
        LockKey key = LockKey.of(run, "res-" + k + ".nodb");
        try (LockHandle h = client.acquire(key, lease, Duration.ofSeconds(30))) {
          Path file = witness.resolve("res-" + k);
          long last = read(file);
          if (h.fence() <= last) {
            System.out.println("violation fence " + key + " " + h.fence() + " after " + last);
          }
          // hold a little while, as real work would, so an overlap has time to show
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000, 2_000_000));
          long again = read(file);
          if (!h.isValid()) {
            // a holder stalled past its lease (a loaded machine) is not protected: fencing is
            System.out.println("stale " + key.name() + " " + h.fence());
            continue;
          }
          if (again != last) {
            System.out.println(
                "violation overlap " + key + " fence " + h.fence() + " saw " + last + "->" + again);
          }
          Path temp = witness.resolve("res-" + k + "." + pid + ".tmp");
          Files.writeString(temp, Long.toString(h.fence()), StandardCharsets.UTF_8);
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
          System.out.println("hold " + key.name() + " " + h.fence());
        }
      }
    }
    System.out.println("done");
    System.exit(0);
  }

  private static long read(Path file) throws IOException {
    try {
      return Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (NoSuchFileException absent) {
      return 0;
    }
  }
}
