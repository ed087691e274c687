package io.nodb.tools.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs N players behind one start gate: every player thread is started and parked, {@code beforeGo}
 * runs (e.g. to sync with other processes), then the gate opens for all at once. Waits for every
 * player and rethrows the first failure. One use per call; not a shared object.
 */
final class StartGate {

  /** One player's work; {@code me} names the player in records. */
  @FunctionalInterface
  interface Player {
    void play(String me) throws Exception;
  }

  private StartGate() {}

  static void runAll(int players, String holder, Runnable beforeGo, Player player)
      throws Exception {
    CountDownLatch ready = new CountDownLatch(players);
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(players);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int p = 0; p < players; p++) {
        futures.add(
            pool.submit(
                () -> {
                  String me = holder + "/" + Thread.currentThread().getName();
                  ready.countDown();
                  gate.await();
                  player.play(me);
                  return null;
                }));
      }
      ready.await();
      beforeGo.run();
      gate.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
