package io.nodb.testpolicy.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** One {@link TestLogger} per name. Thread-safe. */
final class TestLoggerFactory implements ILoggerFactory {

  private final Level threshold;
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

  TestLoggerFactory(Level threshold) {
    this.threshold = threshold;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new TestLogger(n, threshold));
  }
}
