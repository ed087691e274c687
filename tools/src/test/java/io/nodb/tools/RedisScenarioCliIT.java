package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import io.nodb.testing.redis.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scenarios end to end on the shared test Redis. */
@ExtendWith(RedisExtension.class)
class RedisScenarioCliIT extends ScenarioContract {

  private final TestRedis redis;

  RedisScenarioCliIT(TestRedis redis) {
    this.redis = redis;
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
  LockClient newClient(Path runsRoot) {
    return LockClientBuilder.create().redis(redis.url()).build();
  }

  @Test
  void theScenarioRunsOnRedisFromNodbRedisUrl() {
    CliProcess.Result r =
        CliProcess.nodb(
            Map.of("NODB_REDIS_URL", redis.url()),
            "scenario",
            "thundering-herd",
            "--threads",
            "4",
            "--requests",
            "2",
            "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.path("backend").asText()).startsWith(backendPrefix());
    assertThat(doc.path("ok").asBoolean()).isTrue();
  }
}
