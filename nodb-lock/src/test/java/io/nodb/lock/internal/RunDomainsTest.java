package io.nodb.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockDomain;
import io.nodb.lock.LockDomainException;
import io.nodb.lock.LockKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One lock domain per run, on the local backend: the first lock records it; a run recorded for
 * Redis is refused with a message naming both domains; hostile records (links, FIFOs, garbage,
 * huge) are typed errors that write and lock nothing; racing recorders agree on one record.
 */
class RunDomainsTest {

  private static final String DEPLOYMENT = "0123456789abcdef0123456789abcdef";

  @TempDir Path runsRoot;

  private LockClient local() {
    return LockClient.builder().local(runsRoot).releaseOnShutdown(false).build();
  }

  @Test
  void theFirstLockRecordsLocalFiles() throws Exception {
    try (LockClient locks = local()) {
      assertThat(locks.domain()).isEqualTo(LockDomain.LOCAL);
      locks.tryAcquire(LockKey.of("run-1", "climate.nodb")).orElseThrow().release();
    }
    RunDomainFile.Record r = RunDomainFile.read(runsRoot.resolve("run-1")).orElseThrow();
    assertThat(r.domain()).isEqualTo(LockDomain.LOCAL);
    assertThat(r.by()).contains(":");
    assertThat(Files.readString(runsRoot.resolve("run-1/.nodb-domain")))
        .startsWith("# nodb: the lock domain of this run")
        .contains("backend=local\n");
  }

  @Test
  void aRunRecordedForRedisIsRefusedByLocalFilesAndNothingIsLocked() throws Exception {
    Path run = Files.createDirectories(runsRoot.resolve("run-2"));
    RunDomainFile.recordIfAbsent(run, LockDomain.redis(DEPLOYMENT, "redis://cache:6379"), "a:1");
    try (LockClient locks = local()) {
      assertThatThrownBy(() -> locks.tryAcquire(LockKey.of("run-2", "climate.nodb")))
          .isInstanceOf(LockDomainException.class)
          .hasMessageContaining("is locked in Redis deployment 01234567 (redis://cache:6379)")
          .hasMessageContaining("this client uses local lock files")
          .hasMessageContaining("set NODB_REDIS_URL")
          .satisfies(
              e -> {
                LockDomainException d = (LockDomainException) e;
                assertThat(d.recorded())
                    .contains(LockDomain.redis(DEPLOYMENT, "redis://cache:6379"));
                assertThat(d.client()).contains(LockDomain.LOCAL);
                assertThat(d.runDir()).isEqualTo(run);
              });
      assertThat(locks.admin().locks("run-2")).isEmpty();
    }
  }

  @Test
  void hostileRecordsAreTypedErrorsAndNothingOutsideIsTouched() throws Exception {
    Path outside = Files.writeString(runsRoot.resolve("outside.txt"), "keep me");
    String[][] cases = {
      {"link", null},
      {"garbage", "backend=mystery\n"},
      {"no-deployment", "backend=redis\n"},
      {"duplicate", "backend=local\nbackend=redis\n"},
      {"huge", "#" + "x".repeat(RunDomainFile.MAX_BYTES + 10) + "\nbackend=local\n"},
      {"dir", null},
    };
    try (LockClient locks = local()) {
      for (String[] c : cases) {
        Path run = Files.createDirectories(runsRoot.resolve("run-" + c[0]));
        Path record = run.resolve(RunDomainFile.NAME);
        switch (c[0]) {
          case "link" -> Files.createSymbolicLink(record, outside);
          case "dir" -> Files.createDirectory(record);
          default -> Files.writeString(record, c[1]);
        }
        assertThatThrownBy(() -> locks.tryAcquire(LockKey.of(run.getFileName().toString(), "a")))
            .as(c[0])
            .isInstanceOf(LockDomainException.class)
            .hasMessageContaining(record.toString())
            .hasMessageContaining("nothing was locked");
        assertThat(locks.admin().locks(run.getFileName().toString())).as(c[0]).isEmpty();
      }
    }
    assertThat(Files.readString(outside)).isEqualTo("keep me");
  }

  @Test
  void racingRecordersAllSeeOneRecord() throws Exception {
    Path run = Files.createDirectories(runsRoot.resolve("run-race"));
    int n = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<RunDomainFile.Record>> got = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String id = String.format("%032x", i + 1);
        got.add(
            pool.submit(
                () -> {
                  assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
                  return RunDomainFile.recordIfAbsent(
                      run, LockDomain.redis(id, "redis://r" + id), "t");
                }));
      }
      start.countDown();
      RunDomainFile.Record first = got.get(0).get(10, TimeUnit.SECONDS);
      for (Future<RunDomainFile.Record> f : got) {
        assertThat(f.get(10, TimeUnit.SECONDS).domain()).isEqualTo(first.domain());
      }
      try (var files = Files.list(run)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".nodb-domain");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aMoveReplacesTheRecordAndKeepsWhereItCameFrom() throws Exception {
    Path run = Files.createDirectories(runsRoot.resolve("run-move"));
    RunDomainFile.recordIfAbsent(run, LockDomain.LOCAL, "a:1");
    RunDomainFile.Record moved =
        RunDomainFile.replace(
            run, LockDomain.redis(DEPLOYMENT, "redis://cache:6379"), "ops:2", "to the cluster");
    assertThat(moved.domain().deployment()).isEqualTo(DEPLOYMENT);
    assertThat(moved.fields())
        .containsEntry("moved-from", "local lock files")
        .containsEntry("moved-by", "ops:2")
        .containsEntry("moved-reason", "to the cluster");
  }
}
