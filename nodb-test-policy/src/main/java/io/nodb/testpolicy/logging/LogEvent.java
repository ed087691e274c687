package io.nodb.testpolicy.logging;

import java.io.PrintStream;
import java.util.Locale;
import org.slf4j.event.Level;

/**
 * One log event seen by the test binding.
 *
 * @param level its level
 * @param logger the logger's name
 * @param thread the name of the thread that logged it
 * @param message the formatted message
 * @param throwable the exception logged with it, or {@code null}
 */
public record LogEvent(
    Level level, String logger, String thread, String message, Throwable throwable) {

  /**
   * Returns the event's first line as the console shows it: {@code [thread] LEVEL logger - msg}.
   */
  @Override
  public String toString() {
    return "["
        + thread
        + "] "
        + level
        + " "
        + logger
        + " - "
        + message
        + (throwable == null ? "" : " (" + throwable + ")");
  }

  /** Prints the event as {@code slf4j-simple} does: the line, then the stack trace if any. */
  void printTo(PrintStream out) {
    StringBuilder line =
        new StringBuilder()
            .append('[')
            .append(thread)
            .append("] ")
            .append(level.toString().toUpperCase(Locale.ROOT))
            .append(' ')
            .append(logger)
            .append(" - ")
            .append(message);
    synchronized (out) {
      out.println(line);
      if (throwable != null) {
        throwable.printStackTrace(out);
      }
      out.flush();
    }
  }
}
