package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.MissingModuleException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nodb-lock alone (its tests do not have nodb-lock-redis on the path): local locks work, and a
 * Redis URL fails at build time with a typed error naming the module to add, never the URL.
 */
class WithoutRedisModuleTest {

  @Test
  void aRedisUrlNamesTheModuleToAddAndNotThePassword() {
    assertThatThrownBy(() -> LockClient.builder().redis("redis://ops:s3cret@cache:6379").build())
        .isInstanceOf(MissingModuleException.class)
        .hasMessageContaining("io.nodb:nodb-lock-redis")
        .hasMessageNotContaining("s3cret")
        .satisfies(
            e ->
                assertThat(((MissingModuleException) e).artifact())
                    .isEqualTo("io.nodb:nodb-lock-redis"));
  }

  @Test
  void aServerReportNamesTheModuleToAdd() {
    assertThatThrownBy(
            () ->
                RedisServerReport.read(
                    "redis://ops:s3cret@cache:6379", java.time.Duration.ofSeconds(1)))
        .isInstanceOf(MissingModuleException.class)
        .hasMessageContaining("io.nodb:nodb-lock-redis")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aRedisUrlIsRedactedWithoutTheRedisModule() {
    assertThat(RedisUrl.redact("redis://ops:s3cret@cache:6379")).doesNotContain("s3cret");
  }

  @Test
  void theLocalBackendNeedsNoRedisModule(@TempDir Path runs) {
    try (LockClient client = LockClient.builder().local(runs).releaseOnShutdown(false).build()) {
      try (LockHandle h = client.tryAcquire(LockKey.of("run-1", "a.nodb")).orElseThrow()) {
        assertThat(h.fence()).isPositive();
      }
    }
  }
}
