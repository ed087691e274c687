package io.nodb.testpolicy.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that hands every event at or above its threshold to {@link LogRouter}. Thread-safe. */
final class TestLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  private final int threshold;

  TestLogger(String name, int threshold) {
    this.name = name;
    this.threshold = threshold;
  }

  private boolean enabled(Level level) {
    return level.toInt() >= threshold;
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    if (!enabled(level)) {
      return;
    }
    // as slf4j-simple does: the arguments as given, the throwable as SLF4J normalized it
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    LogRouter.route(
        new LogEvent(level, name, Thread.currentThread().getName(), message, throwable));
  }
}
