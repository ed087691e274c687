package io.nodb.tools.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker's command line never carries the Redis URL; its environment does. */
class WorkerProcessesTest {

  private static final String URL = "redis://ops:s3cr%40t-pw@cache.example:6380/2";

  @Test
  void theUrlGoesInTheEnvironmentNotOnTheCommandLine() {
    ScenarioConfig config =
        new ScenarioConfig(
            "thundering-herd",
            Path.of("/tmp/run"),
            URL,
            2,
            2,
            3,
            Duration.ofMillis(2),
            Duration.ofSeconds(5));
    List<String> args =
        List.of("herd", "/tmp/run", config.backendArg(), "worker0", "2", "3", "2", "5000");

    ProcessBuilder pb = WorkerProcesses.builder(args, config.redisUrl());

    assertThat(String.join(" ", pb.command()))
        .doesNotContain("redis://")
        .doesNotContain("s3cr")
        .doesNotContain("cache.example");
    assertThat(pb.command()).contains(WorkerProcesses.REDIS_ARG);
    assertThat(pb.environment()).containsEntry(WorkerProcesses.URL_VARIABLE, URL);
  }

  @Test
  void theLocalBackendPassesNoUrlAtAll() {
    ProcessBuilder pb = WorkerProcesses.builder(List.of("orphan", "/tmp/run", "-"), null);

    assertThat(pb.environment()).doesNotContainKey(WorkerProcesses.URL_VARIABLE);
  }

  @Test
  void aUrlAmongTheArgumentsIsRefused() {
    assertThatThrownBy(() -> WorkerProcesses.builder(List.of("orphan", "/tmp/run", URL), URL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cr");
  }
}
