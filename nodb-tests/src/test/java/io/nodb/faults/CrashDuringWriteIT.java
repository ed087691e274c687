package io.nodb.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.store.NoDbStore;
import io.nodb.store.internal.FencedFileWriter;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.workers.CrashingWriterMain;
import io.nodb.testing.workers.WorkerJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 9: a writer that dies while dumping never leaves a torn or half-written controller file. One
 * worker halts exactly between writing the temp file and renaming it; another loops 1 MB dumps and
 * is SIGKILLed at random moments. After each: the file parses, its version is the last one the
 * writer reported or the one after (the rename may land just before the kill), and the next dump
 * leaves no temp file behind. Local lock files; the dying writer's lock expires after its 1 s
 * lease.
 */
class CrashDuringWriteIT {

  @TempDir Path runsRoot;

  @Test
  void item9AWriterHaltedBetweenTempWriteAndRenameLeavesTheOldFileAndTheNextDumpCleansUp()
      throws Exception {
    try (Fixture f = new Fixture(Backend.LOCAL, null, runsRoot)) {
      NoDbStore store = f.store();
      Path run = f.newRun("halt");
      Counter c = store.create(Counter.class, run, s -> s.count = 41);
      byte[] before = Files.readAllBytes(c.file());
      try (WorkerJvm w = writer(run, "temp-then-halt")) {
        w.awaitLine("temp-written ", Duration.ofMinutes(1));
        assertThat(w.await(Duration.ofSeconds(30))).isEqualTo(3);
      }
      Path tmp = FencedFileWriter.tempFileOf(c.file());
      assertThat(tmp).exists();
      assertThat(Files.readAllBytes(c.file())).as("old file intact").isEqualTo(before);
      assertThat(f.store().ignoreLock(Counter.class, run).count()).isEqualTo(41);

      assertThat(c.increment()).isEqualTo(42);
      assertThat(tmp).as("cleaned by the next dump").doesNotExist();
      assertThat(f.store().ignoreLock(Counter.class, run).version()).isEqualTo(2);
    }
  }

  @Test
  void item9AWriterKilledAtRandomMomentsDuringOneMegabyteDumpsNeverTearsTheFile() throws Exception {
    try (Fixture f = new Fixture(Backend.LOCAL, null, runsRoot)) {
      NoDbStore store = f.store();
      Path run = f.newRun("kill");
      String big = "x".repeat(1 << 20);
      Counter c = store.create(Counter.class, run, s -> s.label = big);
      int kills = Figures.soak().isPresent() ? 20 : 4;
      List<Long> landedAfterReport = new ArrayList<>();
      for (int i = 0; i < kills; i++) {
        long reported;
        try (WorkerJvm w = writer(run, "loop")) {
          int wanted = 1 + ThreadLocalRandom.current().nextInt(3);
          awaitCount(w, "committed ", wanted, Duration.ofMinutes(1));
          java.util.concurrent.locks.LockSupport.parkNanos(
              ThreadLocalRandom.current().nextLong(1, 30) * 1_000_000); // a random kill moment
          w.kill();
          w.await(Duration.ofSeconds(20));
          List<String> done = w.lines("committed ");
          reported = Long.parseLong(done.get(done.size() - 1).trim());
        }
        Counter onDisk = f.store().ignoreLock(Counter.class, run); // parses: not torn
        assertThat(onDisk.version()).isBetween(reported, reported + 1);
        assertThat(onDisk.state().label).hasSize(1 << 20);
        landedAfterReport.add(onDisk.version() - reported);
        c.increment(); // waits out the dead writer's 1 s lease
        assertThat(FencedFileWriter.tempFileOf(c.file())).doesNotExist();
        assertThat(c.version()).isEqualTo(onDisk.version() + 1);
      }
      new Figures("crash-during-write")
          .put("haltBetweenTempAndRename", 1)
          .put("randomKillsDuring1MbDumps", kills)
          .put(
              "killsWhoseInFlightDumpLanded",
              landedAfterReport.stream().filter(x -> x == 1).count())
          .put("tornFiles", 0)
          .write();
    }
  }

  private static void awaitCount(WorkerJvm w, String prefix, int n, Duration timeout)
      throws java.io.IOException {
    w.awaitLines(prefix, n, timeout);
  }

  private WorkerJvm writer(Path run, String mode) throws java.io.IOException {
    return WorkerJvm.start(
        CrashingWriterMain.class,
        runsRoot.resolve("logs"),
        "backend=local",
        "runsRoot=" + runsRoot,
        "runDir=" + run,
        "lease=1000",
        "mode=" + mode);
  }
}
