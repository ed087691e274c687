package io.nodb.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunIdsTest {

  @Test
  void idsAreDistinctAcrossThreadsAndMatchTheRunIdGrammar() throws Exception {
    int threads = 8;
    int perThread = 2_000;
    Set<String> ids = ConcurrentHashMap.newKeySet();
    CountDownLatch startGate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures =
          IntStream.range(0, threads)
              .<Future<?>>mapToObj(
                  t ->
                      pool.submit(
                          () -> {
                            startGate.await();
                            for (int i = 0; i < perThread; i++) {
                              ids.add(RunIds.unique("thread" + t));
                            }
                            return null;
                          }))
              .toList();
      startGate.countDown();
      for (Future<?> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ids).hasSize(threads * perThread);
    assertThat(ids).allSatisfy(id -> assertThat(id).matches(RunIds.RUN_ID));
  }

  @Test
  void idStartsWithPrefixAndCarriesThePid() {
    String id = RunIds.unique("lock-contract");
    assertThat(id).startsWith("lock-contract-" + ProcessHandle.current().pid() + "-");
  }

  @Test
  void longestPrefixStillGivesAValidId() {
    String prefix = "p".repeat(RunIds.MAX_PREFIX_LENGTH);
    assertThat(RunIds.unique(prefix)).matches(RunIds.RUN_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-leading-dash", "has/slash", "has space", "..", "nul\u0000"})
  void invalidPrefixIsRejectedAndNamed(String prefix) {
    assertThatThrownBy(() -> RunIds.unique(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + prefix + "'");
  }

  @Test
  void tooLongPrefixIsRejected() {
    String prefix = "p".repeat(RunIds.MAX_PREFIX_LENGTH + 1);
    assertThatThrownBy(() -> RunIds.unique(prefix)).isInstanceOf(IllegalArgumentException.class);
  }
}
