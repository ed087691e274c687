package io.nodb.testing.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kit never puts a Redis URL on a worker's command line. */
class WorkerJvmTest {

  @Test
  void redisUrlsAreReplacedByEnvironmentReferences() {
    Map<String, String> env = new LinkedHashMap<>();

    assertThat(WorkerJvm.withoutUrl("backend=redis://:s3cret@h:1", env))
        .isEqualTo("backend=env:" + WorkerJvm.URL_VARIABLE);
    assertThat(WorkerJvm.withoutUrl("redis://:s3cret@h:1", env))
        .isEqualTo("env:" + WorkerJvm.URL_VARIABLE);
    assertThat(WorkerJvm.withoutUrl("rediss://u:other@h:2", env))
        .isEqualTo("env:" + WorkerJvm.URL_VARIABLE + "_1");
    assertThat(WorkerJvm.withoutUrl("backend=local", env)).isEqualTo("backend=local");
    assertThat(WorkerJvm.withoutUrl("threads=4", env)).isEqualTo("threads=4");

    assertThat(env)
        .containsExactly(
            Map.entry(WorkerJvm.URL_VARIABLE, "redis://:s3cret@h:1"),
            Map.entry(WorkerJvm.URL_VARIABLE + "_1", "rediss://u:other@h:2"));
  }

  @Test
  void aUrlIsFoundWhateverTheCaseOfItsScheme() {
    Map<String, String> env = new LinkedHashMap<>();

    assertThat(WorkerJvm.withoutUrl("REDIS://:s3cret@h:1", env))
        .isEqualTo("env:" + WorkerJvm.URL_VARIABLE);
    assertThat(WorkerJvm.withoutUrl("backend=RedisS://u:pw@h:2", env))
        .isEqualTo("backend=env:" + WorkerJvm.URL_VARIABLE + "_1");
    assertThat(WorkerJvm.withoutUrl("Redis://", env))
        .isEqualTo("env:" + WorkerJvm.URL_VARIABLE + "_2");
    assertThat(WorkerJvm.withoutUrl("redis", env)).isEqualTo("redis");
    assertThat(env.values()).noneMatch(v -> v.equals("redis"));
  }

  @Test
  void workerArgumentsResolveEnvironmentReferences() {
    String path = System.getenv("PATH");
    assertThat(WorkerArgs.parse("backend=env:PATH").get("backend")).isEqualTo(path);
    assertThat(WorkerArgs.resolve("local")).isEqualTo("local");
  }
}
