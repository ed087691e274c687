package io.nodb.testing.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The kit's fake time: tasks run only when time is advanced, in due order, at their instant. */
class FakeTimeTest {

  private final FakeTime time = FakeTime.create();
  private final List<String> ran = new ArrayList<>();

  private Runnable note(String name) {
    return () -> ran.add(name + "@" + time.elapsed().toMillis());
  }

  @Test
  void tasksRunInDueOrderAtTheirInstantOnlyWhenTimeIsAdvanced() {
    time.schedule(note("b"), Duration.ofMillis(20));
    time.schedule(note("a"), Duration.ofMillis(10));
    time.schedule(note("tie-1"), Duration.ofMillis(30));
    time.schedule(note("tie-2"), Duration.ofMillis(30));
    time.schedule(note("late"), Duration.ofMillis(31));
    assertThat(time.runDue()).isZero();
    assertThat(ran).isEmpty();

    assertThat(time.advance(Duration.ofMillis(30))).isEqualTo(4);

    assertThat(ran).containsExactly("a@10", "b@20", "tie-1@30", "tie-2@30");
    assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(30));
    assertThat(time.pending()).isOne();
    assertThat(time.untilNextTask()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void aTaskScheduledByATaskRunsInTheSameStepWhenDueByItsEnd() {
    Runnable[] renew = new Runnable[1];
    renew[0] =
        () -> {
          ran.add("renew@" + time.elapsed().toMillis());
          time.schedule(renew[0], Duration.ofMillis(100));
        };
    time.schedule(renew[0], Duration.ofMillis(100));

    assertThat(time.advance(Duration.ofMillis(350))).isEqualTo(3);

    assertThat(ran).containsExactly("renew@100", "renew@200", "renew@300");
    assertThat(time.untilNextTask()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void aCancelledTaskNeverRunsAndIsNotPending() {
    Future<?> f = time.schedule(note("x"), Duration.ofMillis(5));
    assertThat(f.cancel(false)).isTrue();
    assertThat(time.pending()).isZero();
    assertThat(time.untilNextTask()).isNull();
    assertThat(time.advance(Duration.ofSeconds(1))).isZero();
    assertThat(ran).isEmpty();
  }

  @Test
  void theClockAndTheTickerAreOneTimeLine() {
    FakeTime t = FakeTime.startingAt(Instant.parse("2030-05-01T10:00:00Z"));
    long before = t.read();
    t.schedule(() -> ran.add(t.clock().instant().toString()), Duration.ofSeconds(2));
    t.advance(Duration.ofSeconds(3));
    assertThat(ran).containsExactly("2030-05-01T10:00:02Z");
    assertThat(t.clock().instant()).isEqualTo(Instant.parse("2030-05-01T10:00:03Z"));
    assertThat(t.read() - before).isEqualTo(Duration.ofSeconds(3).toNanos());
  }

  @Test
  void aThrowingTaskStopsTheStepAtItsInstantAndPropagatesUnchanged() {
    IllegalStateException boom = new IllegalStateException("boom");
    time.schedule(
        () -> {
          throw boom;
        },
        Duration.ofMillis(10));
    time.schedule(note("after"), Duration.ofMillis(20));

    assertThatThrownBy(() -> time.advance(Duration.ofMillis(50))).isSameAs(boom);

    assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(10));
    assertThat(ran).isEmpty();
    assertThat(time.advance(Duration.ofMillis(40))).isOne();
    assertThat(ran).containsExactly("after@20");
  }

  @Test
  void aTaskCannotAdvanceTimeItself() {
    time.schedule(() -> time.advance(Duration.ofSeconds(5)), Duration.ofMillis(1));
    assertThatThrownBy(() -> time.advance(Duration.ofMillis(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("from a task");
    assertThat(time.elapsed()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void timeNeverGoesBackwards() {
    assertThatThrownBy(() -> time.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-0.001S");
  }
}
