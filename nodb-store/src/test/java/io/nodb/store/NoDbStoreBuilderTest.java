package io.nodb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nodb.lock.LockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The builder convention of {@link NoDbStoreBuilder}: set once, checked at the setter. */
class NoDbStoreBuilderTest {

  @TempDir static Path runsRoot;

  static Stream<Arguments> options() {
    // closed at once: the builder only keeps it
    LockClient unused = LockClient.builder().local(runsRoot).releaseOnShutdown(false).build();
    unused.close();
    return Stream.of(
        Arguments.of("lockClient", (Consumer<NoDbStoreBuilder>) b -> b.lockClient(unused)),
        Arguments.of("lease", (Consumer<NoDbStoreBuilder>) b -> b.lease(Duration.ofSeconds(5))),
        Arguments.of("lockWait", (Consumer<NoDbStoreBuilder>) b -> b.lockWait(Duration.ZERO)),
        Arguments.of("cacheSize", (Consumer<NoDbStoreBuilder>) b -> b.cacheSize(8)),
        Arguments.of(
            "redisCache", (Consumer<NoDbStoreBuilder>) b -> b.redisCache("redis://127.0.0.1:1")),
        Arguments.of("clock", (Consumer<NoDbStoreBuilder>) b -> b.clock(Clock.systemUTC())),
        Arguments.of(
            "objectMapper", (Consumer<NoDbStoreBuilder>) b -> b.objectMapper(new ObjectMapper())),
        Arguments.of(
            "meterRegistry",
            (Consumer<NoDbStoreBuilder>) b -> b.meterRegistry(new SimpleMeterRegistry())),
        Arguments.of("maxFileSize", (Consumer<NoDbStoreBuilder>) b -> b.maxFileSize(1024)),
        Arguments.of(
            "releaseOnShutdown", (Consumer<NoDbStoreBuilder>) b -> b.releaseOnShutdown(false)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("options")
  void anOptionSetTwiceIsRefusedByName(String option, Consumer<NoDbStoreBuilder> set) {
    NoDbStoreBuilder b = NoDbStore.builder();
    set.accept(b);
    assertThatThrownBy(() -> set.accept(b))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(option + " is already set");
  }

  @Test
  void bothRedisCacheFormsAreOneOption() {
    NoDbStoreBuilder b = NoDbStore.builder().redisCache("redis://127.0.0.1:1");
    assertThatThrownBy(() -> b.redisCache("redis://127.0.0.1:2", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("redisCache is already set");
  }

  @Test
  void badValuesAreRefusedAtTheSetterNamingOptionAndBound() {
    NoDbStoreBuilder b = NoDbStore.builder();
    assertThatThrownBy(() -> b.lease(Duration.ofMillis(9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease must be between 10 ms and 24 h (PT24H), was PT0.009S");
    assertThatThrownBy(() -> b.lease(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lease must be between 10 ms and 24 h");
    assertThatThrownBy(() -> b.lease(Duration.ofHours(24).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("lease must be between 10 ms and 24 h");
    assertThatThrownBy(() -> b.lockWait(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lockWait must be zero or more, was PT-0.000000001S");
    assertThatThrownBy(() -> b.cacheSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheSize must be at least 1, was 0");
    assertThatThrownBy(() -> b.cacheSize(Long.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cacheSize must be at least 1");
    assertThatThrownBy(() -> b.maxFileSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFileSize must be from 1 to 2147483631 bytes, was 0");
    assertThatThrownBy(() -> b.maxFileSize(Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 2147483647");
    assertThatThrownBy(() -> b.maxFileSize(Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxFileSize must be from 1 to");
    assertThatThrownBy(() -> b.redisCache("redis://127.0.0.1:1", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("redisCache timeout must be from 1 ms to 1 minute, was PT0S");
    assertThatThrownBy(() -> b.redisCache("redis://127.0.0.1:1", Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("redisCache timeout must be from 1 ms to 1 minute");
    // refused values leave the options unset
    b.lease(Duration.ofMillis(10))
        .lockWait(Duration.ZERO)
        .cacheSize(1)
        .maxFileSize(Integer.MAX_VALUE - 16)
        .redisCache("rediss://127.0.0.1:1", Duration.ofMinutes(1));
  }

  @Test
  void aBadCacheUrlIsRefusedWithoutShowingItsPassword() {
    for (String url : List.of("http://h:1", "127.0.0.1:6379", "redis://", "redis://h/x", "")) {
      assertThatThrownBy(() -> NoDbStore.builder().redisCache(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("redisCache must be a Redis URL: invalid Redis URL");
    }
    for (String url :
        List.of("http://user:s3cret@h:1", "redis://user:s3cret@h:1/x", "redis://s3cret@")) {
      assertThatThrownBy(() -> NoDbStore.builder().redisCache(url))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("s3cret");
    }
    // accepted: the forms the lock client reads
    NoDbStore.builder().redisCache("redis://h");
    NoDbStore.builder().redisCache("redis://u:p%40ss@h:6380/2");
    NoDbStore.builder().redisCache(" rediss://:pw@h:1/ ");
  }

  @Test
  void nullsAreRefusedNamingTheOption() {
    NoDbStoreBuilder b = NoDbStore.builder();
    assertThatThrownBy(() -> b.lockClient(null)).hasMessage("lockClient");
    assertThatThrownBy(() -> b.lease(null)).hasMessage("lease");
    assertThatThrownBy(() -> b.lockWait(null)).hasMessage("lockWait");
    assertThatThrownBy(() -> b.redisCache(null)).hasMessage("redisCache");
    assertThatThrownBy(() -> b.redisCache("redis://h", null)).hasMessage("redisCache timeout");
    assertThatThrownBy(() -> b.clock(null)).hasMessage("clock");
    assertThatThrownBy(() -> b.objectMapper(null)).hasMessage("objectMapper");
    assertThatThrownBy(() -> b.meterRegistry(null)).hasMessage("meterRegistry");
  }

  @Test
  void aGivenLockClientAndReleaseOnShutdownExcludeEachOther() {
    try (LockClient client =
        LockClient.builder().local(runsRoot).releaseOnShutdown(false).build()) {
      assertThatThrownBy(() -> NoDbStore.builder().lockClient(client).releaseOnShutdown(false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("releaseOnShutdown and lockClient exclude each other (lockClient is set)");
      assertThatThrownBy(() -> NoDbStore.builder().releaseOnShutdown(true).lockClient(client))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "lockClient and releaseOnShutdown exclude each other (releaseOnShutdown is set)");
    }
  }

  @Test
  void aBuilderDroppedBeforeBuildLeavesNothingToClose() throws Exception {
    // the setters keep values only (the cache's client is made by build() and closed with the
    // store), so dropping a configured builder is safe
    try (LockClient client =
        LockClient.builder().local(runsRoot).releaseOnShutdown(false).build()) {
      NoDbStore.builder()
          .lockClient(client)
          .redisCache("redis://127.0.0.1:1", Duration.ofMillis(1));
      Path run = runsRoot.resolve("run-1");
      Files.createDirectories(run);
      try (NoDbStore store = NoDbStore.builder().lockClient(client).build()) {
        assertThat(store.cacheFailures()).isZero();
        assertThat(store.locks(run)).isSameAs(client);
      }
      assertThat(client.isLocked(io.nodb.lock.LockKey.of("run-1", "x.nodb")))
          .as("a store closes only what it built: the given client still answers")
          .isFalse();
    }
  }
}
