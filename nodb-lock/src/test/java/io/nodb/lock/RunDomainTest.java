package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public face of the lock-domain record ({@link RunDomain}) and the tools' helpers {@link
 * RedisUrl} and {@link RedisServerReport}: what the CLI reads and moves through them.
 */
class RunDomainTest {

  private static final String DEPLOYMENT = "0123456789abcdef0123456789abcdef";

  @TempDir Path runsRoot;

  private LockClient local() {
    return LockClient.builder().local(runsRoot).releaseOnShutdown(false).build();
  }

  @Test
  void aRunIsRecordedByItsFirstLockAndReadBack() throws Exception {
    Path run = Files.createDirectory(runsRoot.resolve("r1"));
    assertThat(RunDomain.read(run)).isEmpty();
    try (LockClient locks = local();
        LockHandle h =
            locks.acquire(
                LockKey.of("r1", "a.nodb"), Duration.ofSeconds(30), Duration.ofSeconds(5))) {
      assertThat(RunDomain.domainOf(locks, null)).isEqualTo(LockDomain.LOCAL);
    }
    RunDomain r = RunDomain.read(run).orElseThrow();
    assertThat(r.domain()).isEqualTo(LockDomain.LOCAL);
    assertThat(r.by()).contains(":");
    assertThat(r.fields()).containsEntry("backend", "local");
    assertThat(run.resolve(RunDomain.FILE_NAME)).isRegularFile();
  }

  @Test
  void aMoveKeepsWhereTheRunCameFrom() throws Exception {
    Path run = Files.createDirectory(runsRoot.resolve("r2"));
    Files.writeString(
        run.resolve(RunDomain.FILE_NAME),
        "backend=redis\ndeployment=" + DEPLOYMENT + "\nendpoint=redis://h:6379/0\n");

    RunDomain moved = RunDomain.move(run, LockDomain.LOCAL, "ops:1", "Redis retired");

    assertThat(moved.domain()).isEqualTo(LockDomain.LOCAL);
    assertThat(moved.fields())
        .containsEntry("moved-from", "Redis deployment 01234567 (redis://h:6379/0)")
        .containsEntry("moved-by", "ops:1")
        .containsEntry("moved-reason", "Redis retired");
    assertThat(RunDomain.read(run)).hasValue(moved);
    assertThatThrownBy(() -> moved.fields().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aHostileRecordIsATypedError() throws Exception {
    Path run = Files.createDirectory(runsRoot.resolve("r3"));
    Path elsewhere = Files.writeString(runsRoot.resolve("planted"), "backend=local\n");
    Files.createSymbolicLink(run.resolve(RunDomain.FILE_NAME), elsewhere);
    assertThatThrownBy(() -> RunDomain.read(run))
        .isInstanceOf(LockDomainException.class)
        .hasMessageContaining("symbolic link");
    Files.delete(run.resolve(RunDomain.FILE_NAME));
    Files.writeString(run.resolve(RunDomain.FILE_NAME), "x".repeat(5000));
    assertThatThrownBy(() -> RunDomain.read(run)).isInstanceOf(LockDomainException.class);
  }

  @Test
  void redactionHidesPasswordsAndQueries() {
    assertThat(RedisUrl.redact("redis://app:s3cr@t@cache:6379/2?x=1"))
        .isEqualTo("redis://app:***@cache:6379/2?***");
    assertThat(RedisUrl.redact("redis://:secret")).isEqualTo("redis://***");
    assertThat(RedisUrl.redact(null)).isNull();
  }

  @Test
  void aServerReportSaysWhenNothingIsPersisted() {
    Duration ms = Duration.ofMillis(1);
    assertThat(new RedisServerReport(ms, "7.2", false, "", ms).nothingPersisted()).isTrue();
    assertThat(new RedisServerReport(ms, "7.2", true, "", ms).nothingPersisted()).isFalse();
    assertThat(new RedisServerReport(ms, "7.2", false, "3600 1", ms).nothingPersisted()).isFalse();
    // CONFIG not allowed: unknown, not "nothing"
    assertThat(new RedisServerReport(ms, "7.2", false, null, ms).nothingPersisted()).isFalse();
    assertThatThrownBy(() -> new RedisServerReport(null, "7.2", false, "", ms))
        .isInstanceOf(NullPointerException.class);
  }
}
