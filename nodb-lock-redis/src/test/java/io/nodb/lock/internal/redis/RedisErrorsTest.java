package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.NoDbException;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.internal.RedisEndpoint;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** Each Redis error becomes the exception and message an operator can act on. */
class RedisErrorsTest {

  private final RedisEndpoint endpoint = RedisEndpoint.parse("redis://bob:hunter2@cache:6380/7");

  private RuntimeException translate(RuntimeException e) {
    return RedisErrors.translate(endpoint, "script acquire", e);
  }

  @Test
  void configurationRepliesAreUnavailableAndFlagged() {
    String[][] cases = {
      {"WRONGPASS invalid username-password pair", "authentication failed for user 'bob'"},
      {"ERR invalid password", "authentication failed for user 'bob'"},
      {"NOAUTH Authentication required.", "authentication required"},
      {"ERR DB index is out of range", "database 7 out of range"},
      {"NOPERM User bob has no permissions to run the 'evalsha' command", "user 'bob' lacks"},
      {
        "ERR AUTH <password> called without any password configured for the default user",
        "the URL has a password but the server has none configured"
      },
    };
    for (String[] c : cases) {
      RuntimeException t = translate(new JedisDataException(c[0]));
      assertThat(t).as(c[0]).isInstanceOf(LockBackendUnavailableException.class);
      assertThat(((LockBackendUnavailableException) t).isConfigurationError()).isTrue();
      assertThat(t.getMessage())
          .contains(c[1])
          .contains("redis://cache:6380/7")
          .doesNotContain("hunter2");
    }
  }

  @Test
  void otherErrorRepliesStayPlainErrors() {
    RuntimeException t = translate(new JedisDataException("WRONGTYPE Operation against a key"));
    assertThat(t).isExactlyInstanceOf(NoDbException.class);
    assertThat(t.getMessage()).contains("replied with an error to script acquire: WRONGTYPE");
  }

  @Test
  void transportFailuresNameWhatFailed() {
    RuntimeException t =
        translate(
            new JedisConnectionException(
                "Failed to create socket.", new UnknownHostException("cache")));
    assertThat(t).isInstanceOf(LockBackendUnavailableException.class);
    assertThat(((LockBackendUnavailableException) t).isConfigurationError()).isFalse();
    assertThat(t.getMessage()).contains("unknown host 'cache'").doesNotContain("hunter2");
  }
}
