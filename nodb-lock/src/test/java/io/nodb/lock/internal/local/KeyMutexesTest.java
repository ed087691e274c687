package io.nodb.lock.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyMutexesTest {

  @TempDir Path dir;

  private final KeyMutexes mutexes = new KeyMutexes(4);

  @Test
  void aSignalWakesAWaiterLongBeforeItsTimeout() throws InterruptedException {
    Path guard = dir.resolve("k.guard");
    Thread waiter =
        new Thread(
            () -> {
              try {
                mutexes.awaitReleased(guard, () -> TimeUnit.HOURS.toNanos(1));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

    mutexes.signalReleased(guard);

    waiter.join(Duration.ofSeconds(10).toMillis());
    assertThat(waiter.isAlive()).isFalse();
  }

  @Test
  void aWaitThatTheKeysStateSaysIsNeedlessReturnsAtOnce() {
    Path guard = dir.resolve("free.guard");

    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> mutexes.awaitReleased(guard, () -> 0L));
  }

  @Test
  void holdingOneKeyWhileTakingAnotherIsRejected() throws Exception {
    Path guard = dir.resolve("a.guard");

    assertThatThrownBy(() -> mutexes.withKey(guard, () -> mutexes.withKey(guard, () -> 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nested");
    assertThat(mutexes.withKey(guard, () -> 2)).isEqualTo(2);
  }
}
