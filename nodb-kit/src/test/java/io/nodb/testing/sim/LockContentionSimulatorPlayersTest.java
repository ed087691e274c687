package io.nodb.testing.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link LockContentionSimulator#players}: the mode the CLI's contention scenarios run on. */
class LockContentionSimulatorPlayersTest {

  private final LockContentionSimulator sim = new LockContentionSimulator(Duration.ofSeconds(30));

  @Test
  void eachPlayerMakesItsOwnRequestsInOrderOnOneThread() {
    Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
    Map<Integer, String> threads = new ConcurrentHashMap<>();

    SimulationResult r =
        sim.players(
            4,
            5,
            () -> {},
            (player, request) -> {
              seen.computeIfAbsent(player, p -> Collections.synchronizedList(new ArrayList<>()))
                  .add(request);
              String me = Thread.currentThread().getName();
              assertThat(threads.putIfAbsent(player, me)).isIn(null, me);
              return player * 100 + request;
            });

    r.assertAllSucceeded();
    assertThat(r.outcomes()).hasSize(20);
    assertThat(seen)
        .hasSize(4)
        .allSatisfy((p, reqs) -> assertThat(reqs).containsExactly(0, 1, 2, 3, 4));
    assertThat(threads.values()).doesNotHaveDuplicates();
    for (RequestOutcome o : r.outcomes()) {
      assertThat(o.value()).isEqualTo(o.index() / 5 * 100 + o.index() % 5);
    }
  }

  @Test
  void beforeGoRunsOnceEveryPlayerWaitsAndBeforeAnyRequest() {
    AtomicBoolean gone = new AtomicBoolean();
    AtomicInteger early = new AtomicInteger();

    SimulationResult r =
        sim.players(
            3,
            2,
            () -> gone.set(true),
            (player, request) -> {
              if (!gone.get()) {
                early.incrementAndGet();
              }
              return null;
            });

    r.assertAllSucceeded();
    assertThat(early).hasValue(0);
  }

  @Test
  void aFailingBeforeGoRunsNoRequestAndPropagates() {
    AtomicInteger ran = new AtomicInteger();

    assertThatThrownBy(
            () ->
                sim.players(
                    2,
                    2,
                    () -> {
                      throw new IllegalStateException("no go");
                    },
                    (player, request) -> ran.incrementAndGet()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no go");
    assertThat(ran).hasValue(0);
  }

  @Test
  void anErrorInARequestIsItsFailureNotTheOthers() {
    SimulationResult r =
        sim.players(
            2,
            2,
            () -> {},
            (player, request) -> {
              if (player == 1 && request == 0) {
                throw new OutOfMemoryError("simulated");
              }
              return null;
            });

    assertThat(r.count(RequestOutcome.Status.FAILED)).isEqualTo(1);
    assertThat(r.outcomes().get(2).error()).isInstanceOf(OutOfMemoryError.class);
    assertThat(r.count(RequestOutcome.Status.SUCCEEDED)).isEqualTo(3);
  }

  @Test
  void anOverflowingRequestCountIsRefused() {
    assertThatThrownBy(() -> sim.players(65_536, 65_536, () -> {}, (p, q) -> null))
        .isInstanceOf(ArithmeticException.class);
  }
}
