package io.nodb.testpolicy.logging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One {@link TestLogger} per name, with the levels a module's {@code simplelogger.properties} gives
 * (the CLI ships one: its tests log as the CLI does), so switching a module's tests from {@code
 * slf4j-simple} to this binding changes where events go, not which ones are logged. Levels: the
 * most specific {@code org.slf4j.simpleLogger.log.<name>}, else {@code
 * org.slf4j.simpleLogger.defaultLogLevel}, else {@code INFO}; system properties win over the file.
 * Thread-safe.
 */
final class TestLoggerFactory implements ILoggerFactory {

  static final String PREFIX = "org.slf4j.simpleLogger.";

  /** Above {@code ERROR}: {@code off} in slf4j-simple's configuration. */
  static final int OFF = Level.ERROR.toInt() + 10;

  private final Properties config;
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

  TestLoggerFactory(Properties config) {
    this.config = config;
  }

  /** The configuration of this JVM: {@code simplelogger.properties}, then system properties. */
  static Properties jvmConfig() {
    Properties p = new Properties();
    try (InputStream in =
        TestLoggerFactory.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read simplelogger.properties", e);
    }
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith(PREFIX))
        .forEach(k -> p.setProperty(k, System.getProperty(k)));
    String level = System.getProperty(TestLogProvider.LEVEL_PROPERTY);
    if (level != null && !level.isBlank()) {
      p.setProperty(PREFIX + "defaultLogLevel", level);
    }
    return p;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new TestLogger(n, threshold(n)));
  }

  /** The lowest level logged by {@code name}, as an SLF4J level number ({@link #OFF} for none). */
  int threshold(String name) {
    String n = name;
    while (true) {
      String configured = config.getProperty(PREFIX + "log." + n);
      if (configured != null) {
        return parse(configured);
      }
      int dot = n.lastIndexOf('.');
      if (dot < 0) {
        break;
      }
      n = n.substring(0, dot);
    }
    return parse(config.getProperty(PREFIX + "defaultLogLevel", "info"));
  }

  private static int parse(String level) {
    String l = level.trim().toUpperCase(Locale.ROOT);
    return l.equals("OFF") ? OFF : Level.valueOf(l).toInt();
  }
}
