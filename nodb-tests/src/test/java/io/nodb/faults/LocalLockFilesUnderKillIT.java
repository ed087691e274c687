package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.LockClient;
import io.nodb.testing.workers.WorkerJvm;
import io.nodb.testpolicy.logging.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The local backend's bounded layout (one fence counter per run, striped guards, state files only
 * while held) under SIGKILL: three worker JVMs hold four keys of one run in a loop and are killed
 * at random moments, one at a time, each replaced by a new one. Every hold of every worker (killed
 * ones included, their output is on disk) checks a per-key witness that only holders write: no two
 * valid holds overlap and each key's fences strictly increase across the kills. Afterwards the
 * run's counter covers every fence handed out, and once the dead holders' locks are cleared the
 * lock directory holds only the run's fixed files, whatever the kills left mid-write.
 */
class LocalLockFilesUnderKillIT {

  @RegisterExtension final LogCapture logCapture = new LogCapture();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN = "kill-run";
  private static final int WORKERS = 3;
  private static final int KEYS = 4;

  @TempDir Path root;

  @Test
  void killedHoldersNeverBreakExclusionOrFenceOrderAndLeaveNoFilesBehind() throws Exception {
    Path runsRoot = Files.createDirectories(root.resolve("runs"));
    Path witness = Files.createDirectories(root.resolve("witness"));
    Path logs = root.resolve("logs");
    Path stop = root.resolve("stop");
    int kills = Figures.soak().isPresent() ? 40 : 8;
    List<WorkerJvm> all = new ArrayList<>();
    List<WorkerJvm> live = new ArrayList<>();
    try {
      for (int i = 0; i < WORKERS; i++) {
        live.add(start(runsRoot, witness, logs, stop, all));
      }
      for (int k = 0; k < kills; k++) {
        WorkerJvm victim = live.remove(ThreadLocalRandom.current().nextInt(live.size()));
        int before = victim.lines("hold ").size();
        awaitHolds(victim, before + 1 + ThreadLocalRandom.current().nextInt(5));
        // a random moment within a hold or between two: the kill lands between any two steps
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(0, 3_000_000));
        victim.kill();
        victim.await(Duration.ofSeconds(20));
        live.add(start(runsRoot, witness, logs, stop, all));
      }
      for (WorkerJvm w : live) {
        awaitHolds(w, 3); // survivors and replacements still make progress past the dead locks
      }
      Files.createFile(stop);
      for (WorkerJvm w : live) {
        assertThat(w.await(Duration.ofSeconds(60))).as(w.output()).isZero();
      }
    } finally {
      all.forEach(WorkerJvm::close);
    }

    long highest = 0;
    int holds = 0;
    Map<String, Long> lastPerKey = new HashMap<>();
    for (WorkerJvm w : all) {
      assertThat(w.lines("violation")).as(w.output()).isEmpty();
      for (String line : w.lines("hold ")) {
        String[] p = line.trim().split(" "); // "<key> <fence>"; a killed worker's last may be torn
        if (p.length != 2 || !p[1].matches("[0-9]+")) {
          continue;
        }
        long fence = Long.parseLong(p[1]);
        highest = Math.max(highest, fence);
        lastPerKey.merge(p[0], fence, Math::max);
        holds++;
      }
    }
    assertThat(holds).isGreaterThan(kills);
    assertThat(lastPerKey).hasSize(KEYS);
    Path lockDir = runsRoot.resolve(RUN).resolve(".nodb-locks");
    long counter = JSON.readTree(lockDir.resolve("fence.counter").toFile()).path("fence").asLong();
    assertThat(counter).isGreaterThanOrEqualTo(highest);

    try (LockClient admin = LockClient.builder().local(runsRoot).build()) {
      admin.admin().clearLocks(RUN, "after the kill test");
      logCapture.expect(Level.WARN, "cleared run=" + RUN).from("io.nodb.lock").times(1);
      assertThat(admin.admin().locks(RUN)).isEmpty();
    }
    try (Stream<Path> files = Files.list(lockDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(
              n ->
                  n.equals("fence.counter")
                      || n.equals("fence.counter.tmp")
                      || n.equals("run.mutex")
                      || n.equals("evictions.json")
                      || n.equals("evictions.json.tmp")
                      || n.equals("audit.log")
                      || n.matches("stripe-[0-9]{2}\\.(mutex|tmp)"),
              "only the run's fixed files");
    }
    new Figures("local-lock-files-under-kill")
        .put("workers", WORKERS)
        .put("keys", KEYS)
        .put("kills", kills)
        .put("holds", holds)
        .put("violations", 0)
        .write();
  }

  private static WorkerJvm start(
      Path runsRoot, Path witness, Path logs, Path stop, List<WorkerJvm> all) throws IOException {
    WorkerJvm w =
        WorkerJvm.start(
            FenceWitnessMain.class,
            logs,
            "runsRoot=" + runsRoot,
            "run=" + RUN,
            "keys=" + KEYS,
            "witness=" + witness,
            "lease=2000",
            "stopFile=" + stop);
    all.add(w);
    w.awaitLine("ready", Duration.ofMinutes(1));
    return w;
  }

  /** Waits (bounded, generously; woken by each line) until a worker has printed {@code n} holds. */
  private static void awaitHolds(WorkerJvm w, int n) throws IOException {
    w.awaitLines("hold ", n, Duration.ofMinutes(2));
  }
}
