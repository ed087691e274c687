package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One builder convention (issue 15): every option is set once (a second call names it), checked at
 * the setter (the message names the option and its bound), and the backends exclude each other.
 */
class LockClientBuilderTest {

  @TempDir Path runsRoot;

  private record Option(String name, Consumer<LockClientBuilder> set) {}

  private static final List<Option> OPTIONS =
      List.of(
          new Option("defaultLease", b -> b.defaultLease(Duration.ofSeconds(5))),
          new Option("safetyMargin", b -> b.safetyMargin(Duration.ofMillis(5))),
          new Option("connectTimeout", b -> b.connectTimeout(Duration.ofSeconds(1))),
          new Option("readTimeout", b -> b.readTimeout(Duration.ofSeconds(1))),
          new Option("maxConnections", b -> b.maxConnections(8)),
          new Option("clock", b -> b.clock(Clock.systemUTC())),
          new Option("ticker", b -> b.ticker(Ticker.system())),
          new Option("meterRegistry", b -> b.meterRegistry(new SimpleMeterRegistry())),
          new Option("releaseOnShutdown", b -> b.releaseOnShutdown(false)));

  @Test
  void everyOptionIsSetOnceAndASecondCallNamesIt() {
    for (Option option : OPTIONS) {
      LockClientBuilder b = LockClient.builder();
      option.set().accept(b);
      assertThatThrownBy(() -> option.set().accept(b))
          .as(option.name())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(option.name() + " is set once");
    }
    LockScheduler fake =
        (task, delay) -> java.util.concurrent.CompletableFuture.completedFuture(null);
    LockClientBuilder b = LockClient.builder().scheduler(fake);
    assertThatThrownBy(() -> b.scheduler(fake))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("scheduler is set once");
  }

  @Test
  void theBackendIsChosenOnceRedisLocalAndTheEnvironmentExcludeEachOther() {
    assertThatThrownBy(() -> LockClient.builder().local(runsRoot).redis("redis://localhost:6379"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the backend is chosen once: local already, refused redis");
    assertThatThrownBy(() -> LockClient.builder().redis("redis://localhost:6379").local(runsRoot))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis already, refused local");
    assertThatThrownBy(() -> LockClient.builder().local(runsRoot).fromEnvironment(runsRoot))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> LockClient.builder().local(runsRoot).local(runsRoot))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void valuesAreCheckedAtTheSetterNamingTheOptionAndTheBound() {
    assertThatThrownBy(() -> LockClient.builder().connectTimeout(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout must be between 1 ms and 1 h");
    assertThatThrownBy(() -> LockClient.builder().readTimeout(Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readTimeout must be between 1 ms and 1 h");
    assertThatThrownBy(() -> LockClient.builder().readTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LockClient.builder().maxConnections(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnections must be between 2 and 10000, was 1");
    assertThatThrownBy(() -> LockClient.builder().maxConnections(Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LockClient.builder().defaultLease(Duration.ofMillis(9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultLease must be between 10 ms and 24 h");
    assertThatThrownBy(() -> LockClient.builder().redis("localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no scheme");
    assertThatThrownBy(() -> LockClient.builder().redis("redis://u:s3cret@[bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    assertThatThrownBy(() -> LockClient.builder().clock(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aRefusedValueLeavesTheOptionUnsetAndTheBuilderBuilds() {
    LockClientBuilder b = LockClient.builder().local(runsRoot);
    assertThatThrownBy(() -> b.defaultLease(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class);
    b.defaultLease(Duration.ofSeconds(3)).releaseOnShutdown(false);
    try (LockClient first = b.build();
        LockClient second = b.build()) {
      LockHandle h =
          first.acquire(LockKey.of("run", "a.nodb"), Duration.ofSeconds(30), Duration.ZERO);
      assertThat(second.tryAcquire(LockKey.of("run", "a.nodb"))).isEmpty();
      assertThat(first.tryAcquire(LockKey.of("run", "b.nodb")).orElseThrow().remaining())
          .isLessThanOrEqualTo(Duration.ofSeconds(3));
      h.release();
    }
  }
}
