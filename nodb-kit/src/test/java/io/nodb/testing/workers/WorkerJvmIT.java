package io.nodb.testing.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WorkerJvm}'s output pump, waits and stdin, on real child JVMs. */
class WorkerJvmIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path logs;

  @Test
  void linesReachTheLogAndTheListenerInOrderAndStdinReachesTheWorker() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    try (WorkerJvm w = WorkerJvm.start(EchoMain.class, logs, List.of(), heard::add, List.of())) {
      w.awaitLine("ready", WAIT);
      w.send("hello");
      w.send("err");
      assertThat(w.awaitLine("echo ", WAIT)).isEqualTo("hello");
      w.awaitLine("on stderr", WAIT);
      w.send("many 2000");
      assertThat(w.awaitLines("line ", 2000, WAIT)).hasSize(2000).endsWith("1999");
      w.send("exit 3");

      assertThat(w.await(WAIT)).isEqualTo(3);
      assertThat(w.output().lines().toList()).isEqualTo(heard).hasSize(2003);
      assertThat(heard).startsWith("ready", "echo hello", "on stderr");
      assertThat(w.outputFailure()).isEmpty();
    }
  }

  @Test
  void aWaitForALineThatNeverComesEndsWhenTheWorkerExitsNotAtTheTimeout() throws Exception {
    try (WorkerJvm w = WorkerJvm.start(EchoMain.class, logs)) {
      w.awaitLine("ready", WAIT);
      w.send("exit 0");
      long start = System.nanoTime();

      assertThatThrownBy(() -> w.awaitLine("never", Duration.ofMinutes(5)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited")
          .hasMessageContaining("ready");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
    }
  }

  @Test
  void aWaitTimesOutWithTheOutputSoFar() throws Exception {
    try (WorkerJvm w = WorkerJvm.start(EchoMain.class, logs)) {
      w.awaitLine("ready", WAIT);

      assertThatThrownBy(() -> w.awaitLines("echo ", 1, Duration.ofMillis(200)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("printed 0 of 1 'echo ' lines within PT0.2S")
          .hasMessageContaining("ready");
    }
  }

  @Test
  void aThrowingListenerIsReportedAndDoesNotStallTheWorker() throws Exception {
    try (WorkerJvm w =
        WorkerJvm.start(
            EchoMain.class,
            logs,
            List.of(),
            line -> {
              throw new IllegalArgumentException("listener broke on " + line);
            },
            List.of())) {
      w.awaitLine("ready", WAIT);
      w.send("many 100000"); // far beyond a pipe's buffer: the pump must keep reading
      w.send("exit 0");

      assertThat(w.await(WAIT)).isZero();
      assertThat(w.lines("line ")).hasSize(100_000);
      assertThat(w.outputFailure())
          .get()
          .extracting(Throwable::getMessage)
          .isEqualTo("listener broke on ready");
    }
  }

  @Test
  void aKilledWorkersEarlierOutputIsCompleteAfterKill() throws Exception {
    try (WorkerJvm w = WorkerJvm.start(EchoMain.class, logs)) {
      w.awaitLine("ready", WAIT);
      w.send("many 5000");
      w.awaitLines("line ", 5000, WAIT);

      w.kill();

      assertThat(w.isAlive()).isFalse();
      assertThat(w.lines("line ")).hasSize(5000);
    }
  }
}
