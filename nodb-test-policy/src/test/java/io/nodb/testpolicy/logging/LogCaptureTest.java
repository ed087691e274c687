package io.nodb.testpolicy.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Proves {@link LogCapture}: expected events are asserted and not printed, unexpected ones are
 * printed, a missing or surplus event fails, and a failing test shows everything.
 */
class LogCaptureTest {

  private static final Logger LOG = LoggerFactory.getLogger("io.nodb.lock.internal.Example");

  /** Runs {@code body} with {@code System.err} redirected; returns what was printed. */
  private static String stderrOf(Runnable body) {
    StringBuilder printed = new StringBuilder();
    stderrInto(
        printed,
        () -> {
          body.run();
          return null;
        });
    return printed.toString();
  }

  /**
   * Runs {@code body} with {@code System.err} redirected into {@code printed}, even if it throws.
   */
  private static <T> T stderrInto(StringBuilder printed, Supplier<T> body) {
    PrintStream saved = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      return body.get();
    } finally {
      System.setErr(saved);
      printed.append(bytes.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void theTestBindingIsThisJvmsBinding() {
    assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(TestLoggerFactory.class);
  }

  @Test
  void anExpectedWarnWithItsExceptionIsAssertedAndNotPrinted() {
    String printed =
        stderrOf(
            () -> {
              try (LogCapture logs = LogCapture.start()) {
                LOG.warn("renewal failed for {}", "climate.nodb", new IOException("down"));
                List<LogEvent> events =
                    logs.expect(Level.WARN, "renewal failed for climate.nodb")
                        .from("io.nodb.lock")
                        .withThrowable(IOException.class)
                        .await();
                assertThat(events)
                    .singleElement()
                    .satisfies(
                        e -> assertThat(e.thread()).isEqualTo(Thread.currentThread().getName()));
                assertThat(events.get(0).throwable()).hasMessage("down");
              }
            });
    assertThat(printed).isEmpty();
  }

  @Test
  void anUnexpectedWarnIsPrintedWithItsStackTraceWhenTheCaptureCloses() {
    String printed =
        stderrOf(
            () -> {
              try (LogCapture logs = LogCapture.start()) {
                logs.expect(Level.WARN, "expected one");
                LOG.warn("expected one");
                LOG.warn("a surprise", new IllegalStateException("boom"));
                LOG.info("an info line");
              }
            });
    assertThat(printed)
        .contains("[LogCapture] unexpected log events of capture:")
        .contains("WARN io.nodb.lock.internal.Example - a surprise")
        .contains("java.lang.IllegalStateException: boom")
        .contains("\tat ")
        .contains("INFO io.nodb.lock.internal.Example - an info line")
        .doesNotContain("expected one");
  }

  @Test
  void anInfoNoExpectationMatchedIsPrintedWithoutAnAlarm() {
    String printed =
        stderrOf(
            () -> {
              try (LogCapture logs = LogCapture.start()) {
                LOG.info("force lock run-1/climate.nodb");
              }
            });
    assertThat(printed)
        .isEqualTo(
            "[main] INFO io.nodb.lock.internal.Example - force lock run-1/climate.nodb"
                + System.lineSeparator());
  }

  @Test
  void aMissingExpectedEventFailsWithWhatWasCaptured() {
    StringBuilder printed = new StringBuilder();
    assertThatThrownBy(
            () ->
                stderrInto(
                    printed,
                    () -> {
                      try (LogCapture logs = LogCapture.start(Duration.ofMillis(50))) {
                        logs.expect(Level.ERROR, "cannot append to audit log");
                        LOG.warn("something else");
                      }
                      return null;
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("at least 1 ERROR containing 'cannot append to audit log': 0 matched")
        .hasMessageContaining("WARN io.nodb.lock.internal.Example - something else");
    assertThat(printed.toString()).contains("[LogCapture] all 1 log events of capture:");
  }

  @Test
  void aWrongLevelOrLoggerDoesNotMatch() {
    assertThatThrownBy(
            () ->
                stderrOf(
                    () -> {
                      try (LogCapture logs = LogCapture.start(Duration.ofMillis(50))) {
                        logs.expect(Level.WARN, "x").from("io.nodb.lock.internal.Exam");
                        LOG.error("x");
                        LoggerFactory.getLogger("io.nodb.store").warn("x");
                      }
                    }))
        .hasMessageContaining("0 matched");
  }

  @Test
  void aSurplusEventFailsAnExactCount() {
    assertThatThrownBy(
            () ->
                stderrOf(
                    () -> {
                      try (LogCapture logs = LogCapture.start()) {
                        logs.expect(Level.WARN, "cleared run").times(1);
                        LOG.warn("cleared run a");
                        LOG.warn("cleared run b");
                      }
                    }))
        .hasMessageContaining("exactly 1 WARN containing 'cleared run': 2 matched");
  }

  @Test
  void anAllowanceNeedsNoEventButClaimsThoseThatCome() {
    String printed =
        stderrOf(
            () -> {
              try (LogCapture logs = LogCapture.start()) {
                logs.allow(Level.WARN, "will retry");
                logs.allow(Level.ERROR, "never logged");
                LOG.warn("renewal failed, will retry");
                LOG.warn("renewal failed, will retry");
              }
            });
    assertThat(printed).isEmpty();
  }

  @Test
  void anEventOfAnotherThreadIsAwaited() throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                go.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              LOG.warn("lost run=r key=k");
            },
            "nodb-lock-watchdog-test");
    String printed =
        stderrOf(
            () -> {
              try (LogCapture logs = LogCapture.start()) {
                LogCapture.Expectation lost = logs.expect(Level.WARN, "lost run=r");
                watchdog.start();
                go.countDown();
                assertThat(lost.await())
                    .singleElement()
                    .extracting(LogEvent::thread)
                    .isEqualTo("nodb-lock-watchdog-test");
              }
            });
    watchdog.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(printed).isEmpty();
  }

  @Test
  void afterTheCaptureClosesEventsArePrintedAgain() {
    String printed =
        stderrOf(
            () -> {
              LogCapture.start().close();
              LOG.warn("after the capture");
            });
    assertThat(printed)
        .isEqualTo(
            "[main] WARN io.nodb.lock.internal.Example - after the capture"
                + System.lineSeparator());
  }

  @Test
  void theExtensionChecksEachTestAndAFailedTestShowsEverythingCaptured() {
    StringBuilder printed = new StringBuilder();
    Events events =
        stderrInto(
            printed,
            () ->
                EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(Fixtures.class))
                    .execute()
                    .testEvents());
    events.assertStatistics(s -> s.succeeded(1).failed(2));
    assertThat(printed.toString())
        .contains("[LogCapture] all 1 log events of failsAfterAnExpectedWarn() (Fixtures):")
        .contains("WARN io.nodb.lock.internal.Example - expected and asserted")
        .contains("java.lang.IllegalStateException: the cause")
        .doesNotContain("passes quietly");
  }

  /** Run through the engine test kit by the test above, never directly. */
  static final class Fixtures {

    @RegisterExtension final LogCapture logs = new LogCapture(Duration.ofMillis(50));

    @Test
    void passesQuietly() {
      LOG.warn("passes quietly");
      logs.expect(Level.WARN, "passes quietly");
    }

    @Test
    void failsAfterAnExpectedWarn() {
      LOG.warn("expected and asserted", new IllegalStateException("the cause"));
      logs.expect(Level.WARN, "expected and asserted");
      throw new AssertionError("the test's own failure");
    }

    @Test
    void missesItsExpectedWarn() {
      logs.expect(Level.WARN, "never comes");
    }
  }
}
