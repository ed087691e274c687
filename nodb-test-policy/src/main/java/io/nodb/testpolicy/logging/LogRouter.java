package io.nodb.testpolicy.logging;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Sends each event to the innermost open {@link LogCapture}, or prints it on {@code System.err}
 * (looked up per event, as {@code slf4j-simple} does). Thread-safe: the captures form a stack
 * guarded by this class's lock.
 */
final class LogRouter {

  private static final Deque<LogCapture> OPEN = new ArrayDeque<>();

  private LogRouter() {}

  static void route(LogEvent event) {
    LogCapture capture;
    synchronized (LogRouter.class) {
      capture = OPEN.peek();
    }
    if (capture == null || !capture.record(event)) {
      event.printTo(System.err);
    }
  }

  static synchronized void open(LogCapture capture) {
    OPEN.push(capture);
  }

  static synchronized void close(LogCapture capture) {
    OPEN.remove(capture);
  }

  /** Whether the test binding is the SLF4J provider of this JVM. */
  static boolean active() {
    return org.slf4j.LoggerFactory.getILoggerFactory() instanceof TestLoggerFactory;
  }
}
