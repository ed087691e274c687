package io.nodb.testpolicy.logging;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.event.Level;

/**
 * Captures the log events of one test so that it can assert the WARN and ERROR logs it expects
 * instead of printing them (and their stack traces) into the build's output.
 *
 * <p>As a JUnit Jupiter extension, one capture per test:
 *
 * <pre>{@code
 * @RegisterExtension final LogCapture logs = new LogCapture();
 *
 * @Test
 * void aForcedReleaseIsAudited() {
 *   ...
 *   logs.expect(Level.WARN, "forced run=").from("io.nodb.lock");
 * }
 * }</pre>
 *
 * or around any block (jqwik properties, helpers): {@code try (LogCapture logs =
 * LogCapture.start()) { ... }}.
 *
 * <p>While it is open, every event of every thread (at or above the binding's level, {@code INFO}
 * by default) is recorded instead of printed. When it closes (after the test and its
 * {@code @AfterEach} methods):
 *
 * <ul>
 *   <li>every {@link #expect expectation} must be met: it is awaited up to {@link #WAIT} (events of
 *       background threads such as the watchdog may come late), then a missing or surplus event
 *       fails the test with the list of what was captured;
 *   <li>events that no expectation or {@link #allow allowance} matches are printed as if they had
 *       never been captured, so an unexpected WARN stays visible;
 *   <li>if the test failed, everything captured is printed, expected events included.
 * </ul>
 *
 * <p>It needs the test binding {@link TestLogProvider} (the parent pom selects it for surefire and
 * failsafe); opening it in a JVM with another SLF4J binding fails at once.
 *
 * <p>Thread-safety: events may arrive from any thread; declaring expectations and closing are meant
 * for the test's thread. Only the innermost open capture receives events.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

  /** How long {@link #close()} and {@link Expectation#await()} wait for an expected event. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final List<LogEvent> events = new ArrayList<>();
  private final List<Expectation> expectations = new ArrayList<>();
  private final Duration wait;
  private String name = "capture";
  private boolean open;

  /** Creates a capture for {@code @RegisterExtension}; it opens before each test. */
  public LogCapture() {
    this(WAIT);
  }

  LogCapture(Duration wait) {
    this.wait = wait;
  }

  /**
   * Opens a capture now; close it with {@link #close()} (try-with-resources).
   *
   * @return the open capture
   * @throws IllegalStateException if the test binding is not this JVM's SLF4J binding
   */
  public static LogCapture start() {
    return start(WAIT);
  }

  static LogCapture start(Duration wait) {
    LogCapture capture = new LogCapture(wait);
    capture.open("capture");
    return capture;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    open(context.getDisplayName() + " (" + context.getRequiredTestClass().getSimpleName() + ")");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    finish(context.getExecutionException().isPresent());
  }

  /**
   * Closes the capture: checks the expectations and prints what no expectation matched.
   *
   * @throws AssertionError if an expectation is not met (the captured events are listed)
   */
  @Override
  public void close() {
    finish(false);
  }

  /**
   * Expects at least one event of {@code level} whose message contains {@code messagePart}; narrow
   * it with the returned expectation. Every matching event counts as expected.
   *
   * @param level the exact level
   * @param messagePart a substring of the formatted message
   * @return the expectation, checked when the capture closes
   */
  public Expectation expect(Level level, String messagePart) {
    return add(new Expectation(this, level, messagePart, 1));
  }

  /**
   * Allows events of {@code level} whose message contains {@code messagePart} without requiring
   * any: for logs whose number depends on timing (retries while a server is down). Prefer {@link
   * #expect} whenever at least one event is certain.
   *
   * @param level the exact level
   * @param messagePart a substring of the formatted message
   * @return the allowance (narrow it like an expectation)
   */
  public Expectation allow(Level level, String messagePart) {
    return add(new Expectation(this, level, messagePart, 0));
  }

  /** Returns the events captured so far, oldest first. */
  public synchronized List<LogEvent> events() {
    return List.copyOf(events);
  }

  private synchronized Expectation add(Expectation expectation) {
    if (!open) {
      throw new IllegalStateException("the log capture is not open");
    }
    expectations.add(expectation);
    return expectation;
  }

  private void open(String testName) {
    if (!LogRouter.active()) {
      throw new IllegalStateException(
          "LogCapture needs the test SLF4J binding: run with -Dslf4j.provider="
              + TestLogProvider.class.getName()
              + " (the parent pom sets it for surefire and failsafe)");
    }
    synchronized (this) {
      events.clear();
      expectations.clear();
      name = testName;
      open = true;
    }
    LogRouter.open(this);
  }

  synchronized boolean record(LogEvent event) {
    if (!open) {
      return false;
    }
    events.add(event);
    notifyAll();
    return true;
  }

  private void finish(boolean testFailed) {
    List<String> unmet = new ArrayList<>();
    List<LogEvent> captured;
    List<Expectation> declared;
    synchronized (this) {
      if (!open) {
        return;
      }
      if (!testFailed) {
        for (Expectation e : expectations) {
          awaitCount(e);
          int n = count(e);
          if (n < e.min || n > e.max) {
            unmet.add(e + ": " + n + " matched");
          }
        }
      }
      open = false;
      captured = List.copyOf(events);
      declared = List.copyOf(expectations);
    }
    LogRouter.close(this);
    boolean failed = testFailed || !unmet.isEmpty();
    List<LogEvent> toPrint = new ArrayList<>();
    for (LogEvent event : captured) {
      if (failed || declared.stream().noneMatch(e -> e.matches(event))) {
        toPrint.add(event);
      }
    }
    if (!toPrint.isEmpty()) {
      PrintStream err = System.err;
      synchronized (err) {
        if (failed || toPrint.stream().anyMatch(e -> e.level().toInt() >= Level.WARN.toInt())) {
          err.println(
              "[LogCapture] "
                  + (failed ? "all " + captured.size() + " log events" : "unexpected log events")
                  + " of "
                  + name
                  + ":");
        }
        toPrint.forEach(event -> event.printTo(err));
      }
    }
    if (!unmet.isEmpty()) {
      StringBuilder message =
          new StringBuilder("expected log events missing or surplus in ").append(name);
      unmet.forEach(u -> message.append("\n  ").append(u));
      message.append("\ncaptured (").append(captured.size()).append("):");
      captured.forEach(event -> message.append("\n  ").append(event));
      throw new AssertionError(message.toString());
    }
  }

  /** Waits (holding this monitor, which {@link #record} notifies) until {@code e} is met. */
  private void awaitCount(Expectation e) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (count(e) < e.min) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private int count(Expectation e) {
    int n = 0;
    for (LogEvent event : events) {
      if (e.matches(event)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Log events a test expects (at least one unless {@link #times} says otherwise) or allows, made
   * by {@link LogCapture#expect} or {@link LogCapture#allow}. Narrowing methods return this
   * expectation. Thread-safety: configure it on the test's thread before the capture closes.
   */
  public static final class Expectation {

    private final LogCapture capture;
    private final Level level;
    private final String messagePart;
    private volatile String loggerPrefix = "";
    private volatile Class<? extends Throwable> throwableType;
    private volatile int min;
    private volatile int max = Integer.MAX_VALUE;

    private Expectation(LogCapture capture, Level level, String messagePart, int min) {
      this.capture = capture;
      this.level = Objects.requireNonNull(level, "level");
      this.messagePart = Objects.requireNonNull(messagePart, "messagePart");
      this.min = min;
    }

    /**
     * Only events of loggers named {@code prefix} or below it ({@code prefix.…}).
     *
     * @param prefix a logger name
     * @return this expectation
     */
    public Expectation from(String prefix) {
      this.loggerPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Only events logged with an exception of {@code type}.
     *
     * @param type the exception class (subclasses match)
     * @return this expectation
     */
    public Expectation withThrowable(Class<? extends Throwable> type) {
      this.throwableType = Objects.requireNonNull(type, "type");
      return this;
    }

    /**
     * Exactly {@code n} matching events (for an allowance: at most {@code n}).
     *
     * @param n the number
     * @return this expectation
     */
    public Expectation times(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("n < 0: " + n);
      }
      if (min > 0) {
        min = n;
      }
      max = n;
      return this;
    }

    /**
     * Waits up to {@link LogCapture#WAIT} until the expected number of events has been captured.
     *
     * @return the matching events so far, oldest first
     * @throws AssertionError if fewer came in time (the captured events are listed)
     */
    public List<LogEvent> await() {
      synchronized (capture) {
        capture.awaitCount(this);
        List<LogEvent> matching = new ArrayList<>();
        for (LogEvent event : capture.events) {
          if (matches(event)) {
            matching.add(event);
          }
        }
        if (matching.size() < min) {
          StringBuilder message =
              new StringBuilder("within ")
                  .append(capture.wait)
                  .append(" no ")
                  .append(this)
                  .append("; captured:");
          capture.events.forEach(event -> message.append("\n  ").append(event));
          throw new AssertionError(message.toString());
        }
        return matching;
      }
    }

    boolean matches(LogEvent event) {
      Class<? extends Throwable> type = throwableType;
      return event.level() == level
          && event.message().contains(messagePart)
          && (loggerPrefix.isEmpty()
              || event.logger().equals(loggerPrefix)
              || event.logger().startsWith(loggerPrefix + "."))
          && (type == null || type.isInstance(event.throwable()));
    }

    @Override
    public String toString() {
      String count =
          min == 0
              ? (max == Integer.MAX_VALUE ? "any number of" : "at most " + max)
              : (max == Integer.MAX_VALUE ? "at least " + min : "exactly " + max);
      return count
          + " "
          + level
          + " containing '"
          + messagePart
          + "'"
          + (loggerPrefix.isEmpty() ? "" : " from " + loggerPrefix)
          + (throwableType == null ? "" : " with " + throwableType.getSimpleName());
    }
  }
}
