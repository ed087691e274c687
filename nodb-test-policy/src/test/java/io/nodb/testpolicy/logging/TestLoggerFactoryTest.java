package io.nodb.testpolicy.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** The binding logs what slf4j-simple's configuration says, so the CLI's tests log as the CLI. */
class TestLoggerFactoryTest {

  private static TestLoggerFactory factory(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(TestLoggerFactory.PREFIX + keyValues[i], keyValues[i + 1]);
    }
    return new TestLoggerFactory(p);
  }

  @Test
  void withoutConfigurationEveryLoggerLogsFromInfo() {
    Logger log = factory().getLogger("io.nodb.lock");
    assertThat(log.isInfoEnabled()).isTrue();
    assertThat(log.isDebugEnabled()).isFalse();
  }

  @Test
  void theMostSpecificLoggerEntryWinsOverItsParentsAndTheDefault() {
    // the CLI's simplelogger.properties
    TestLoggerFactory cli =
        factory(
            "defaultLogLevel", "warn",
            "log.io.nodb.lock", "error",
            "log.io.nodb.lock.internal.redis.RedisLockBackend", "warn");
    assertThat(cli.threshold("io.nodb.store")).isEqualTo(Level.WARN.toInt());
    assertThat(cli.threshold("io.nodb.lock")).isEqualTo(Level.ERROR.toInt());
    assertThat(cli.threshold("io.nodb.lock.internal.local.LocalLockBackend"))
        .isEqualTo(Level.ERROR.toInt());
    assertThat(cli.threshold("io.nodb.lock.internal.redis.RedisLockBackend"))
        .isEqualTo(Level.WARN.toInt());
    assertThat(cli.getLogger("io.nodb.lock").isWarnEnabled()).isFalse();
    assertThat(cli.getLogger("io.nodb.lock").isErrorEnabled()).isTrue();
  }

  @Test
  void offLogsNothing() {
    Logger log = factory("log.noisy", "off").getLogger("noisy.child");
    assertThat(log.isErrorEnabled()).isFalse();
  }
}
