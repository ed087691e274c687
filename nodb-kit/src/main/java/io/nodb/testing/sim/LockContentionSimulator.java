package io.nodb.testing.sim;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LockTimeoutException;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.testing.check.HoldRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the contention scenarios that break naive locks, with a start gate and no sleeps, and
 * reports every request's outcome, wait and duration:
 *
 * <ul>
 *   <li>{@link #thunderingHerd}: N threads released at once onto one key; each acquires, runs a
 *       body, releases. The holds are recorded for the overlap checker.
 *   <li>{@link #rapidSequential}: M operations (e.g. {@code locked()} calls, as a profile playback
 *       makes them) back to back from a few threads.
 *   <li>{@link #singletonRace}: N threads released at once onto a lazy getter; the result tells how
 *       many distinct instances they got.
 *   <li>{@link #players}: N players released at once, each making its own M requests in order (a
 *       profile playback per player, or a herd of players that each loop), with a hook that runs
 *       while they wait at the gate (to line up with players in other processes).
 * </ul>
 *
 * <p>Every scenario has a deadline; a request still running then is reported as {@code FAILED} with
 * a {@link TimeoutException} and its thread is interrupted. A simulator holds no state between
 * scenarios and may be shared; each scenario uses its own threads.
 */
public final class LockContentionSimulator {

  /** One operation of {@link #rapidSequential}; returns any value. */
  @FunctionalInterface
  public interface Request {
    /**
     * Performs request {@code index}.
     *
     * @param index the request's number
     * @return any value, kept in the outcome
     * @throws Exception to report the request as failed
     */
    Object call(int index) throws Exception;
  }

  /** One request of a {@link #players} player. */
  @FunctionalInterface
  public interface PlayerRequest {
    /**
     * Performs the player's request number {@code request}.
     *
     * @param player the player's number, from 0
     * @param request the request's number within the player's, from 0
     * @return any value, kept in the outcome
     * @throws Exception to report the request as failed
     */
    Object call(int player, int request) throws Exception;
  }

  private final Duration deadline;

  /**
   * Creates a simulator.
   *
   * @param deadline how long one scenario may take in all
   */
  public LockContentionSimulator(Duration deadline) {
    this.deadline = Objects.requireNonNull(deadline, "deadline");
  }

  /**
   * Releases {@code callers} threads at once onto {@code key}: each acquires with {@code wait},
   * runs {@code body} with the handle, and releases.
   *
   * @param client the lock client
   * @param key the contended lock
   * @param callers how many threads
   * @param options lease and renewal of each acquisition
   * @param wait how long each caller may wait
   * @param body the critical section, given the handle
   * @return the outcomes and holds; a hold is valid when the release reported {@code RELEASED}
   */
  public SimulationResult thunderingHerd(
      LockClient client,
      LockKey key,
      int callers,
      LockOptions options,
      Duration wait,
      Consumer<LockHandle> body) {
    ConcurrentLinkedQueue<HoldRecord> holds = new ConcurrentLinkedQueue<>();
    long pid = ProcessHandle.current().pid();
    return run(
        "thundering herd of " + callers + " on " + key,
        callers,
        callers,
        (index, outcome) -> {
          long start = System.nanoTime();
          LockHandle h;
          try {
            h = client.acquire(key, options, wait);
          } catch (LockTimeoutException e) {
            outcome.timedOut(Duration.ofNanos(System.nanoTime() - start), e);
            return;
          }
          long enter = System.nanoTime();
          long validUntil = HoldRecord.validityDeadline(h, enter);
          long exit;
          ReleaseOutcome released;
          try {
            body.accept(h);
          } finally {
            validUntil = HoldRecord.validityDeadline(h, validUntil);
            exit = System.nanoTime();
            released = h.release();
            holds.add(
                new HoldRecord(
                    key.toString(),
                    h.fence(),
                    enter,
                    exit,
                    pid,
                    Thread.currentThread().getName(),
                    released,
                    validUntil));
          }
          outcome.succeeded(Duration.ofNanos(enter - start), h.fence(), released);
        },
        holds,
        () -> {},
        0);
  }

  /**
   * Runs {@code requests} operations back to back on {@code threads} threads, released at once.
   *
   * @param threads how many threads
   * @param requests how many operations in all
   * @param request the operation
   * @return the outcomes; {@code waited} is the time a request queued behind earlier ones
   */
  public SimulationResult rapidSequential(int threads, int requests, Request request) {
    return run(
        requests + " back-to-back requests on " + threads + " threads",
        threads,
        requests,
        (index, outcome) -> outcome.succeeded(Duration.ZERO, -1, request.call(index)),
        null,
        () -> {},
        0);
  }

  /**
   * Releases {@code callers} threads at once onto {@code getter} (e.g. {@code getInstance}).
   *
   * @param callers how many threads
   * @param getter the lazy getter
   * @return the outcomes, each with the instance it got
   */
  public SimulationResult singletonRace(int callers, Supplier<?> getter) {
    return run(
        "singleton race of " + callers,
        callers,
        callers,
        (index, outcome) -> outcome.succeeded(Duration.ZERO, -1, getter.get()),
        null,
        () -> {},
        0);
  }

  /**
   * Releases {@code players} threads at once; each makes its {@code requestsPerPlayer} requests in
   * order on its own thread (outcome index {@code player * requestsPerPlayer + request}). {@code
   * beforeGo} runs on the calling thread once every player waits at the gate and before it opens;
   * if it throws, no request runs and the exception propagates.
   *
   * @param players how many players (threads)
   * @param requestsPerPlayer how many requests each makes
   * @param beforeGo runs when all wait at the gate, e.g. a cross-process start signal
   * @param request the request
   * @return the outcomes; {@code waited} is the time a request queued behind its player's earlier
   *     ones after the gate opened
   */
  public SimulationResult players(
      int players, int requestsPerPlayer, Runnable beforeGo, PlayerRequest request) {
    Objects.requireNonNull(beforeGo, "beforeGo");
    Objects.requireNonNull(request, "request");
    return run(
        players + " players x " + requestsPerPlayer + " requests",
        players,
        Math.multiplyExact(players, requestsPerPlayer),
        (index, outcome) ->
            outcome.succeeded(
                Duration.ZERO,
                -1,
                request.call(index / requestsPerPlayer, index % requestsPerPlayer)),
        null,
        beforeGo,
        requestsPerPlayer);
  }

  /** One request's work; reports through the recorder. */
  @FunctionalInterface
  private interface Work {
    void run(int index, Recorder outcome) throws Exception;
  }

  /** Collects one request's result. */
  private static final class Recorder {
    Duration wait = Duration.ZERO;
    long fence = -1;
    Object value;
    Throwable error;
    RequestOutcome.Status status;

    void succeeded(Duration wait, long fence, Object value) {
      this.wait = wait;
      this.fence = fence;
      this.value = value;
      this.status = RequestOutcome.Status.SUCCEEDED;
    }

    void timedOut(Duration wait, Throwable e) {
      this.wait = wait;
      this.error = e;
      this.status = RequestOutcome.Status.TIMED_OUT;
    }
  }

  /**
   * Runs {@code requests} on {@code threads} behind one start gate: threads take the next request
   * from a shared counter, or with {@code perThread > 0} thread t makes requests {@code t *
   * perThread} to {@code (t + 1) * perThread - 1} in order.
   */
  private SimulationResult run(
      String scenario,
      int threads,
      int requests,
      Work work,
      ConcurrentLinkedQueue<HoldRecord> holds,
      Runnable beforeGo,
      int perThread) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger next = new AtomicInteger();
    AtomicReferenceArray<RequestOutcome> out = new AtomicReferenceArray<>(requests);
    long[] opened = new long[1];
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int first = t * perThread;
        int end = perThread > 0 ? first + perThread : requests;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  gate.await();
                  for (int i = perThread > 0 ? first : next.getAndIncrement();
                      i < end;
                      i = perThread > 0 ? i + 1 : next.getAndIncrement()) {
                    long start = System.nanoTime();
                    Recorder r = new Recorder();
                    try {
                      work.run(i, r);
                    } catch (Exception | Error e) {
                      r.error = e;
                      r.status = RequestOutcome.Status.FAILED;
                    }
                    Duration queued = Duration.ofNanos(start - opened[0]);
                    out.set(
                        i,
                        new RequestOutcome(
                            i,
                            Thread.currentThread().getName(),
                            r.status,
                            r.fence < 0 && r.status == RequestOutcome.Status.SUCCEEDED
                                ? queued
                                : r.wait,
                            Duration.ofNanos(System.nanoTime() - start),
                            r.fence,
                            r.value,
                            r.error));
                  }
                  return null;
                }));
      }
      if (!ready.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(scenario + ": threads did not start within " + deadline);
      }
      beforeGo.run();
      opened[0] = System.nanoTime();
      gate.countDown();
      long end = opened[0] + deadline.toNanos();
      for (Future<?> f : futures) {
        try {
          f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(scenario + ": a worker thread failed", e.getCause());
        }
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - opened[0]);
      List<RequestOutcome> result = new ArrayList<>(requests);
      for (int i = 0; i < requests; i++) {
        RequestOutcome o = out.get(i);
        result.add(
            o != null
                ? o
                : new RequestOutcome(
                    i,
                    "?",
                    RequestOutcome.Status.FAILED,
                    Duration.ZERO,
                    elapsed,
                    -1,
                    null,
                    new TimeoutException(
                        scenario + ": request " + i + " not done within " + deadline)));
      }
      return new SimulationResult(
          scenario, result, holds == null ? List.of() : List.copyOf(holds), elapsed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(scenario + ": interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
