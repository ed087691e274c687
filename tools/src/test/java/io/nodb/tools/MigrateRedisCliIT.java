package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.legacy.LegacyFixtures;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nodb migrate --redis} as a separate process: legacy files are migrated under the Redis
 * locks, and a file whose lock another process holds is reported as failed (exit 1) and left alone.
 */
@ExtendWith(RedisExtension.class)
class MigrateRedisCliIT {

  private static final ObjectMapper M = new ObjectMapper();
  private final TestRedis redis;
  @TempDir Path tmp;

  MigrateRedisCliIT(TestRedis redis) {
    this.redis = redis;
  }

  @Test
  void migratesUnderTheRedisLocksAndReportsAHeldLockAsFailed() throws IOException {
    String runId = RunIds.unique("migrate");
    Path run = LegacyFixtures.copyRun("2020-Test_Watershed_15", tmp.resolve(runId));
    byte[] climate = Files.readAllBytes(run.resolve("climate.nodb"));
    try (LockClient locks = LockClient.builder().redis(redis.url()).build();
        LockHandle held =
            locks.acquire(
                LockKey.of(runId, "climate.nodb"),
                LockOptions.lease(Duration.ofSeconds(60)),
                Duration.ofSeconds(5))) {
      CliProcess.Result r =
          CliProcess.nodb(
              "migrate", run.toString(), "--json", "--lock-wait", "1", "--redis", redis.url());
      assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCode.FAILURE);
      JsonNode doc = M.readTree(r.stdout());
      for (JsonNode f : doc.path("files")) {
        String expected = f.path("file").asText().equals("climate.nodb") ? "failed" : "migrated";
        assertThat(f.path("result").asText()).as(f.toString()).isEqualTo(expected);
      }
      assertThat(Files.readAllBytes(run.resolve("climate.nodb"))).isEqualTo(climate);
      assertThat(held.isValid()).isTrue();
    }
    CliProcess.Result again = CliProcess.nodb("migrate", run.toString(), "--redis", redis.url());
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(M.readTree(run.resolve("climate.nodb").toFile()).at("/nodb/format").asInt())
        .isEqualTo(1);
  }
}
