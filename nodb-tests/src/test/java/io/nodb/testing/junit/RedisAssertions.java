package io.nodb.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Assertions on how a Redis call failed. */
final class RedisAssertions {

  private RedisAssertions() {}

  /**
   * Asserts the call fails with "connection refused". Jedis attaches the {@link ConnectException}
   * as a suppressed exception rather than as the cause, so both are searched.
   */
  static void assertConnectionRefused(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(JedisConnectionException.class);
    assertThat(causesAndSuppressed(thrown))
        .as("ConnectException among the causes and suppressed exceptions of %s", thrown)
        .anyMatch(ConnectException.class::isInstance);
  }

  private static Deque<Throwable> causesAndSuppressed(Throwable root) {
    Deque<Throwable> seen = new ArrayDeque<>();
    Deque<Throwable> pending = new ArrayDeque<>();
    pending.add(root);
    while (!pending.isEmpty()) {
      Throwable next = pending.poll();
      if (seen.stream().noneMatch(t -> t == next)) {
        seen.add(next);
        if (next.getCause() != null) {
          pending.add(next.getCause());
        }
        pending.addAll(Arrays.asList(next.getSuppressed()));
      }
    }
    return seen;
  }
}
