package io.nodb.tools.scenario;

import io.nodb.lock.LockLostException;
import io.nodb.lock.LockTimeoutException;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.store.NoDbFencedWriteException;
import io.nodb.store.NoDbStaleWriteException;
import io.nodb.testing.check.HoldRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Collects what a scenario did: the committed critical sections (the kit's {@link HoldRecord}s, for
 * its {@link io.nodb.testing.check.OverlapChecker}) with how long each waited for its lock, and a
 * count per outcome of every operation ({@code ok}, {@code timeout}, {@code lost-expired}, {@code
 * stale}, {@code fenced}, {@code not-owner}, {@code busy}, ...). Thread-safe.
 */
final class Recorder {

  /** The outcome of an operation that committed. */
  static final String OK = "ok";

  private final Queue<HoldRecord> holds = new ConcurrentLinkedQueue<>();
  private final Queue<Long> waits = new ConcurrentLinkedQueue<>();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final AtomicLong done = new AtomicLong();
  private final Runnable onDone;

  /**
   * Creates a recorder.
   *
   * @param onDone called after every recorded outcome (for progress)
   */
  Recorder(Runnable onDone) {
    this.onDone = onDone;
  }

  /**
   * Records a committed critical section (its outcome is recorded separately).
   *
   * @param h the hold
   * @param waitNanos from asking for the lock to holding it
   */
  void hold(HoldRecord h, long waitNanos) {
    holds.add(h);
    waits.add(waitNanos);
  }

  /** Records the outcome of one operation. */
  void outcome(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    done.incrementAndGet();
    onDone.run();
  }

  /** Records the outcome of an operation that threw. */
  void failure(RuntimeException e) {
    outcome(classify(e));
  }

  /** Records a release outcome other than RELEASED (RELEASED is part of an ok operation). */
  void release(ReleaseOutcome r) {
    outcome(r.name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  /** Counts an operation finished elsewhere (a worker JVM) for progress only. */
  void tick() {
    done.incrementAndGet();
    onDone.run();
  }

  /** Adds the holds, waits and outcomes of another recorder (a worker JVM's). */
  void merge(List<HoldRecord> moreHolds, List<Long> moreWaits, Map<String, Long> moreOutcomes) {
    holds.addAll(moreHolds);
    waits.addAll(moreWaits);
    moreOutcomes.forEach((k, v) -> outcomes.computeIfAbsent(k, x -> new LongAdder()).add(v));
  }

  /** Returns how many outcomes were recorded so far. */
  long done() {
    return done.get();
  }

  /** Returns the count of one outcome. */
  long count(String outcome) {
    LongAdder a = outcomes.get(outcome);
    return a == null ? 0 : a.sum();
  }

  /** Returns the outcome counts, ordered by name. */
  Map<String, Long> outcomes() {
    Map<String, Long> m = new TreeMap<>();
    outcomes.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Returns the committed critical sections so far. */
  List<HoldRecord> holds() {
    return new ArrayList<>(holds);
  }

  /** Returns the lock waits of the committed critical sections so far, in nanoseconds. */
  List<Long> waits() {
    return new ArrayList<>(waits);
  }

  /**
   * Names the outcome of an exception: {@code timeout}, {@code lost-<reason>}, {@code stale},
   * {@code fenced}, or {@code error}.
   *
   * @param e the exception
   * @return the outcome
   */
  static String classify(Throwable e) {
    if (e instanceof LockTimeoutException) {
      return "timeout";
    }
    if (e instanceof LockLostException l) {
      return "lost-" + l.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
    if (e instanceof NoDbStaleWriteException) {
      return "stale";
    }
    if (e instanceof NoDbFencedWriteException) {
      return "fenced";
    }
    return "error";
  }
}
