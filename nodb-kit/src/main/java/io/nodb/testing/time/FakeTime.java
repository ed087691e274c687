package io.nodb.testing.time;

import io.nodb.lock.LockScheduler;
import io.nodb.lock.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One fake time line for a test, read three ways: as the monotonic {@link Ticker} (nanoseconds), as
 * the wall {@link Clock} ({@link #clock()}, the same line from a fixed instant) and as the {@link
 * LockScheduler} whose tasks run only when the test advances time. Give all three to a lock client
 * (and the ticker to a recipe) and its renewals, expiry notices, validity and — on the local
 * backend — the TTLs of its lock files follow this line alone:
 *
 * <pre>{@code
 * FakeTime time = FakeTime.create();
 * LockClient client =
 *     LockClient.builder().local(runs).ticker(time).clock(time.clock()).scheduler(time).build();
 * LockHandle h = client.acquire(key, Duration.ofSeconds(30), Duration.ZERO);
 * time.advance(Duration.ofMinutes(5)); // 30 renewals run here, on this thread, in order
 * assertThat(h.isValid()).isTrue();
 * }</pre>
 *
 * <p>{@link #advance(Duration)} runs every task that falls due within the step, in due order (ties
 * in the order they were scheduled), each with the time set to its due instant, so a renewal
 * scheduled by a task that ran inside the step runs in the same step when it is due by its end.
 * Tasks run on the advancing thread, outside this object's monitor: they may read the time,
 * schedule and cancel. Nothing runs on its own: with no {@code advance}, no task ever runs. Time
 * never goes backwards.
 *
 * <p>Thread-safe: any thread may read the time, schedule and cancel; {@code advance} calls are
 * serialized (a second advancing thread waits for the first to finish its step). A task that throws
 * stops the step at that task's instant and the exception propagates from {@code advance} (a real
 * scheduler would swallow it; a test should see it). JUnit-free.
 */
public final class FakeTime implements Ticker, LockScheduler {

  /** The wall-clock instant a time line made by {@link #create()} starts at. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private static final long ORIGIN_NANOS = 1_000_000_000L;

  private final Instant start;
  private final ReentrantLock advancing = new ReentrantLock();
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long sequence;
  private volatile long nanos = ORIGIN_NANOS;

  private FakeTime(Instant start) {
    this.start = start;
  }

  /**
   * Returns a time line starting at {@link #DEFAULT_START}.
   *
   * @return the fake time
   */
  public static FakeTime create() {
    return startingAt(DEFAULT_START);
  }

  /**
   * Returns a time line whose wall clock starts at {@code start}.
   *
   * @param start the wall-clock instant at ticker reading zero elapsed
   * @return the fake time
   */
  public static FakeTime startingAt(Instant start) {
    return new FakeTime(Objects.requireNonNull(start, "start"));
  }

  /** Returns the current reading in nanoseconds (starts at one second, only differences count). */
  @Override
  public long read() {
    return nanos;
  }

  /** Returns how much fake time has passed since this time line was made. */
  public Duration elapsed() {
    return Duration.ofNanos(nanos - ORIGIN_NANOS);
  }

  /**
   * Returns the wall clock of this time line (UTC): the start instant plus {@link #elapsed()}.
   *
   * @return the clock
   */
  public Clock clock() {
    return new FakeClock(ZoneOffset.UTC);
  }

  /**
   * Queues {@code task} to run when time is advanced past {@code delay} from now.
   *
   * @param task the task
   * @param delay from now; zero or negative means at the next {@link #advance} or {@link #runDue()}
   * @return a future that cancels the task (it is then never run)
   */
  @Override
  public Future<?> schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task");
    long delayNanos = Math.max(0, delay.toNanos());
    synchronized (queue) {
      Task t = new Task(task, nanos + delayNanos, sequence++);
      queue.add(t);
      return t;
    }
  }

  /**
   * Moves time forward by {@code step}, running every task that falls due on the way (see the class
   * comment).
   *
   * @param step zero or more
   * @return how many tasks ran
   * @throws IllegalArgumentException if {@code step} is negative
   * @throws IllegalStateException if called from inside a task that {@code advance} runs
   * @throws RuntimeException or {@link Error}: what a task threw (time stays at its due instant)
   */
  public int advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("time never goes backwards; step was " + step);
    }
    if (advancing.isHeldByCurrentThread()) {
      throw new IllegalStateException(
          "advance called from a task it runs; time would go backwards after the inner step");
    }
    advancing.lock();
    try {
      long target = Math.addExact(nanos, step.toNanos());
      int ran = 0;
      for (Task next = poll(target); next != null; next = poll(target)) {
        nanos = Math.max(nanos, next.due);
        next.runAndReport();
        ran++;
      }
      nanos = target;
      return ran;
    } finally {
      advancing.unlock();
    }
  }

  /**
   * Runs the tasks due now without moving time.
   *
   * @return how many tasks ran
   */
  public int runDue() {
    return advance(Duration.ZERO);
  }

  /** Returns how many tasks are queued and not cancelled. */
  public int pending() {
    synchronized (queue) {
      return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }
  }

  /**
   * Returns how long until the next queued task is due (zero if one is due now), or null when
   * nothing is queued.
   */
  public Duration untilNextTask() {
    synchronized (queue) {
      return queue.stream().filter(t -> !t.isCancelled()).mapToLong(t -> t.due).min().stream()
          .mapToObj(due -> Duration.ofNanos(Math.max(0, due - nanos)))
          .findFirst()
          .orElse(null);
    }
  }

  /** Returns {@code FakeTime[elapsed, pending]}. */
  @Override
  public String toString() {
    return "FakeTime[" + elapsed() + " elapsed, " + pending() + " pending]";
  }

  /** Removes and returns the earliest live task due by {@code target}, or null. */
  private Task poll(long target) {
    synchronized (queue) {
      while (!queue.isEmpty()) {
        Task head = queue.peek();
        if (head.isCancelled()) {
          queue.poll();
        } else if (head.due <= target) {
          return queue.poll();
        } else {
          return null;
        }
      }
      return null;
    }
  }

  /** A queued task; cancelling it through the future keeps it from running. */
  private static final class Task extends FutureTask<Void> implements Comparable<Task> {
    private final long due;
    private final long seq;
    private final Runnable what;

    Task(Runnable what, long due, long seq) {
      super(what, null);
      this.what = what;
      this.due = due;
      this.seq = seq;
    }

    @Override
    public int compareTo(Task o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    /** Runs the task and rethrows what it threw, unchanged. */
    void runAndReport() {
      run();
      if (isCancelled()) {
        return;
      }
      try {
        get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("task " + what + " failed", cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the result of " + what, e);
      }
    }
  }

  /** The wall clock of this time line. */
  private final class FakeClock extends Clock {
    private final ZoneId zone;

    FakeClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new FakeClock(zone);
    }

    @Override
    public Instant instant() {
      return start.plus(elapsed());
    }

    @Override
    public String toString() {
      return "FakeTime.clock[" + instant() + "]";
    }
  }
}
