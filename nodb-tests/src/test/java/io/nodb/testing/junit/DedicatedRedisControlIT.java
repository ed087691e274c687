package io.nodb.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

@DedicatedRedis
class DedicatedRedisControlIT {

  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void startsOnLoopbackAndAnswersPing(TestRedis redis) {
    assertThat(redis.isManaged()).isTrue();
    assertThat(redis.isRunning()).isTrue();
    assertThat(redis.host()).isEqualTo("127.0.0.1");
    assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
    assertThat(redis.ping()).isEqualTo("PONG");
    assertThat(isAlive(redis.pid())).isTrue();
  }

  @Test
  void pausedServerTimesOutUntilResumed(TestRedis redis) {
    redis.pause();

    assertThat(redis.isPaused()).isTrue();
    assertThatThrownBy(() -> redis.ping(SHORT))
        .isInstanceOf(JedisConnectionException.class)
        .hasRootCauseInstanceOf(SocketTimeoutException.class);

    redis.resume();

    assertThat(redis.isPaused()).isFalse();
    assertThat(redis.ping(SHORT)).isEqualTo("PONG");
  }

  @Test
  void stoppedServerRefusesConnectionsAndItsProcessIsGone(TestRedis redis) {
    long pid = redis.pid();

    redis.stop();

    assertThat(redis.isRunning()).isFalse();
    assertThat(isAlive(pid)).isFalse();
    RedisAssertions.assertConnectionRefused(() -> redis.ping(SHORT));
    assertThatThrownBy(redis::pid).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void restartKeepsThePortAndStartsEmpty(TestRedis redis) {
    String key = "{" + RunIds.unique("restart") + "}:probe";
    try (Jedis jedis = redis.connect(SHORT)) {
      jedis.set(key, "written before the restart");
      assertThat(jedis.exists(key)).isTrue();
    }
    int port = redis.port();
    long pid = redis.pid();

    redis.restart();

    assertThat(redis.port()).isEqualTo(port);
    assertThat(redis.pid()).isNotEqualTo(pid);
    assertThat(isAlive(pid)).isFalse();
    assertThat(redis.ping(SHORT)).isEqualTo("PONG");
    try (Jedis jedis = redis.connect(SHORT)) {
      assertThat(jedis.exists(key)).isFalse();
      assertThat(jedis.dbSize()).isZero();
    }
  }

  @Test
  void restartBringsBackAPausedServer(TestRedis redis) {
    long pid = redis.pid();
    redis.pause();

    redis.restart();

    assertThat(redis.isPaused()).isFalse();
    assertThat(isAlive(pid)).isFalse();
    assertThat(redis.ping(SHORT)).isEqualTo("PONG");
  }

  @Test
  void flushAllDeletesEveryKey(TestRedis redis) {
    try (Jedis jedis = redis.connect(SHORT)) {
      jedis.set("{" + RunIds.unique("flush") + "}:a", "1");
      redis.flushAll();
      assertThat(jedis.dbSize()).isZero();
    }
  }

  @Test
  void controlInTheWrongStateIsRefusedWithTheServerNamed(TestRedis redis) {
    assertThatThrownBy(redis::resume)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not paused")
        .hasMessageContaining(Integer.toString(redis.port()));
    assertThatThrownBy(redis::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already running");
    assertThat(redis.ping()).isEqualTo("PONG");
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
