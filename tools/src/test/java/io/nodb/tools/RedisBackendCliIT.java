package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.controllers.Ron;
import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStore;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

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
  String uncachedState() {
    return "none";
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
  void statusShowsWhetherTheRedisCacheMatchesEachFile() throws Exception {
    try (LockClient locks = newClient(runDir.getParent());
        NoDbStore store = NoDbStore.builder().lockClient(locks).redisCache(redis.url()).build()) {
      Ron.create(store, runDir, "cached run", "ops", "default.cfg");
    }
    java.nio.file.Files.setLastModifiedTime(
        runDir.resolve("landuse.nodb"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));

    CliProcess.Result r =
        CliProcess.nodb(
            List.of("--json", "--redis", redis.url(), "status", runDir.toString())
                .toArray(String[]::new));

    assertThat(r.exitCode()).as(r.toString()).isZero();
    java.util.Map<String, String> cache = new java.util.TreeMap<>();
    for (JsonNode c : r.json().path("controllers")) {
      cache.put(c.path("name").asText(), c.path("cache").asText());
    }
    assertThat(cache.get("ron.nodb")).startsWith("fresh v");
    assertThat(cache.get("climate.nodb")).isEqualTo("fresh v1");
    assertThat(cache.get("landuse.nodb")).as("file touched after caching").isEqualTo("stale v1");
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

  @Test
  void foreignEntriesInRedisDoNotBreakStatusDoctorOrClearAndClearRepairsThem() throws Exception {
    writeController("climate.nodb", 3, 1);
    hold(runId, "climate.nodb");
    String index = "nodb-run:{" + runId + "}";
    String landuseLock = "nodb-lock:{" + runId + "}:landuse.nodb";
    try (Jedis jedis = redis.connect(Duration.ofSeconds(5))) {
      jedis.hset(index, "junk", "x");
      jedis.hset(index, "lock:", "1");
      jedis.hset(index, "lock:watershed.nodb", "not a number");
      jedis.hset(index, "lock:landuse.nodb", "2");
      jedis.rpush(landuseLock, "foreign");

      CliProcess.Result status = nodb("status", runDir.toString());
      CliProcess.Result doctor = nodb("doctor", runDir.toString());
      CliProcess.Result clear = nodb("clear-locks", runDir.toString(), "--yes", "--reason", "fix");

      assertThat(status.exitCode()).as(status.toString()).isZero();
      assertThat(CliContract.line(status.stdout(), "climate.nodb")).contains("held");
      assertThat(status.stderr()).contains("junk", index);
      assertThat(doctor.exitCode()).as(doctor.toString()).isNotEqualTo(4);
      assertThat(clear.exitCode()).as(clear.toString()).isZero();
      assertThat(clear.stdout()).contains("cleared 2 lock(s) of run " + runId);
      // foreign fields removed, and the index names held locks only: nothing is left of it
      assertThat(jedis.exists(index)).isFalse();
      assertThat(jedis.exists(landuseLock)).isFalse();
      assertThat(client.admin().audit(runId, 10))
          .extracting(e -> e.key().name())
          .containsExactlyInAnyOrder("climate.nodb", "landuse.nodb");
    }
  }
}
