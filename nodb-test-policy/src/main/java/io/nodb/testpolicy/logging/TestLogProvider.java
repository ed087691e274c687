package io.nodb.testpolicy.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of every nodb test JVM: it prints log events to {@code System.err} in the
 * format of {@code slf4j-simple} ({@code [thread] LEVEL logger - message}, then the stack trace),
 * except while a {@link LogCapture} is open, which receives them instead (see there).
 *
 * <p>It is chosen with the system property {@code slf4j.provider} (set for surefire and failsafe by
 * the parent pom, and passed on to worker JVMs by the test kit), not through the service loader:
 * the CLI's tests run its {@code main} in child JVMs on the test classpath, which must keep the
 * CLI's own binding ({@code slf4j-simple}).
 *
 * <p>Levels are those of {@code slf4j-simple}'s configuration ({@code simplelogger.properties} on
 * the classpath, then {@code org.slf4j.simpleLogger.*} system properties; {@code INFO} by default),
 * so a module's tests log what they logged with {@code slf4j-simple} (the CLI's tests: what the CLI
 * logs); the system property {@value #LEVEL_PROPERTY} ({@code TRACE} … {@code ERROR}) replaces the
 * default level.
 *
 * <p>Thread-safety: SLF4J creates one instance and calls it from any thread; it is immutable after
 * {@link #initialize()}.
 */
public final class TestLogProvider implements SLF4JServiceProvider {

  /** The system property naming the lowest level printed or captured. */
  public static final String LEVEL_PROPERTY = "nodb.test.log.level";

  private ILoggerFactory loggerFactory;
  private IMarkerFactory markerFactory;
  private MDCAdapter mdcAdapter;

  /** Creates the provider; SLF4J calls {@link #initialize()} before using it. */
  public TestLogProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    loggerFactory = new TestLoggerFactory(TestLoggerFactory.jvmConfig());
    markerFactory = new BasicMarkerFactory();
    mdcAdapter = new BasicMDCAdapter();
  }
}
