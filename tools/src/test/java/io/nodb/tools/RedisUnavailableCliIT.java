package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unavailable Redis makes every command exit 3 with a clear stderr line within the CLI's 2 s
 * timeouts (bounded here at 10 s including the JVM start), whether the server is gone (connection
 * refused) or frozen (connects, never answers).
 */
@DedicatedRedis
class RedisUnavailableCliIT {

  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path runsRoot;

  private Path runDir() throws IOException {
    return Files.createDirectory(runsRoot.resolve(RunIds.unique("cli-down")));
  }

  @Test
  void aStoppedServerGivesExit3Promptly(TestRedis redis) throws IOException {
    Path run = runDir();
    redis.stop();

    CliProcess.Result status = CliProcess.nodb("status", run.toString(), "--redis", redis.url());
    CliProcess.Result doctor = CliProcess.nodb("doctor", "--redis", redis.url(), "--json");

    for (CliProcess.Result r : new CliProcess.Result[] {status, doctor}) {
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
      assertThat(r.stderr()).contains("unavailable", "is Redis running?");
      assertThat(r.elapsed()).isLessThan(BOUND);
    }
    assertThat(status.stdout()).isEmpty();
    // under --json the error is the one document on stdout
    assertThat(doctor.json().path("schemaVersion").asInt()).isEqualTo(1);
    assertThat(doctor.json().path("error").path("exitCode").asInt()).isEqualTo(3);
    assertThat(doctor.json().path("error").path("message").asText()).contains("unavailable");
    assertThat(doctor.json().path("error").path("hint").asText()).contains("is Redis running?");
  }

  @Test
  void aFrozenServerGivesExit3WithinTheReadTimeout(TestRedis redis) throws IOException {
    Path run = runDir();
    redis.pause();

    CliProcess.Result r =
        CliProcess.nodb(
            "unlock", run.toString(), "climate.nodb", "--force", "--yes", "--redis", redis.url());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stderr()).contains("unavailable");
    assertThat(r.elapsed()).isLessThan(BOUND);
  }
}
