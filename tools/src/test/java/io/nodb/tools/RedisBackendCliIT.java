package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.lock.LockClient;
import io.nodb.testing.redis.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code nodb} commands end to end on the shared test Redis. */
@ExtendWith(RedisExtension.class)
class RedisBackendCliIT extends CliContract {

  private final TestRedis redis;

  RedisBackendCliIT(TestRedis redis) {
    this.redis = redis;
  }

  @Override
  LockClient newClient(Path runsRoot) {
    return LockClient.builder().redis(redis.url()).build();
  }

  @Override
  List<String> backendArgs() {
    return List.of("--redis", redis.url());
  }

  @Override
  String backendPrefix() {
    return "redis://" + redis.host() + ":" + redis.port();
  }

  @Override
  String orphanMakerBackend() {
    return redis.url();
  }

  @Override
  void assertDoctorBackendChecks(JsonNode doc, String text) {
    JsonNode info = doc.path("redis");
    assertThat(info.path("version").asText()).matches("\\d+\\.\\d+.*");
    assertThat(info.path("pingMedianMicros").asLong()).isPositive();
    assertThat(Math.abs(info.path("clockSkewMillis").asLong())).isLessThan(1000);
    assertThat(check(doc, "reachability").path("status").asText()).isEqualTo("ok");
    assertThat(check(doc, "clock").path("status").asText()).isEqualTo("ok");
    JsonNode persistence = check(doc, "persistence");
    boolean nothingPersisted =
        !info.path("aofEnabled").asBoolean() && "".equals(info.path("rdbSave").asText(null));
    if (nothingPersisted) {
      assertThat(persistence.path("status").asText()).isEqualTo("warn");
      assertThat(persistence.path("detail").asText())
          .contains("fence counters are lost", "lifts the fence above the file's fence");
    } else {
      assertThat(persistence.path("status").asText()).isEqualTo("ok");
    }
    assertThat(CliContract.line(text, "server")).contains("redis_version");
  }

  @Test
  void theRedisUrlDefaultsToNodbRedisUrl() {
    hold(runId, "climate.nodb");

    CliProcess.Result r =
        CliProcess.nodb(Map.of("NODB_REDIS_URL", redis.url()), "status", runDir.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("backend  " + backendPrefix());
    assertThat(CliContract.line(r.stdout(), "climate.nodb")).contains("held");
  }
}
