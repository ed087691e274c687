package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.lock.LockClient;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

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
    return LockClient.builder().redis(redis.url()).build();
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

  @Test
  void workerJvmsGetAPasswordUrlThroughTheirEnvironmentOnly() {
    String user = "nodb-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    String password = "pw@:/% x-" + System.nanoTime();
    try (Jedis admin = redis.connect(Duration.ofSeconds(5))) {
      admin.aclSetUser(user, "on", ">" + password, "~*", "&*", "+@all");
      try {
        String url =
            "redis://"
                + user
                + ":"
                + URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20")
                + "@"
                + redis.host()
                + ":"
                + redis.port();
        CliProcess.Result r =
            CliProcess.nodb(
                Map.of("NODB_REDIS_URL", url),
                "scenario",
                "thundering-herd",
                "--processes",
                "2",
                "--threads",
                "2",
                "--requests",
                "2",
                "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().path("ok").asBoolean()).isTrue();
        assertThat(r.stdout() + r.stderr()).doesNotContain(password);
      } finally {
        admin.aclDelUser(user);
      }
    }
  }
}
