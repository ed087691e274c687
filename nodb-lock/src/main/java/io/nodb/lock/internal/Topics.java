package io.nodb.lock.internal;

import java.time.Duration;
import java.util.Optional;

/**
 * Topics carried on one Redis pub/sub channel for the threads of one process, as handed out by
 * {@link RedisAccess#topics}: every message on the channel is {@code <topic>|<body>} and goes to
 * the handlers registered for its topic. The implementation (and its contract: one dedicated
 * connection, reconnects, pings) is {@code io.nodb.lock.internal.redis.RedisTopics} in
 * nodb-lock-redis; this interface is what the store and the recipes see of it, so they do not
 * depend on Jedis or on that module. Thread-safe.
 */
public interface Topics extends AutoCloseable {

  /** Separates a message's topic from its body; topics must not contain it. */
  char SEPARATOR = '|';

  /** Receives one topic's messages on the reader thread. */
  interface Handler {
    /**
     * A message arrived.
     *
     * @param body the message without its topic and separator
     */
    void onMessage(String body);

    /** The connection ended: no more messages will reach this handler. Called at most once. */
    void onLost();
  }

  /** One handler's registration. Closing it is idempotent and never throws. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Registers {@code handler} for {@code topic}, once the connection is known to work.
   *
   * @param topic the topic (without {@link #SEPARATOR})
   * @param handler receives the topic's messages, then possibly one {@code onLost}
   * @param within how long this caller waits for the connection (and a ping, after an idle spell)
   * @return the registration, or empty if there is no working connection now (the handler is then
   *     not registered and is never called)
   * @throws InterruptedException if interrupted while waiting (nothing is registered)
   * @throws IllegalArgumentException if the topic contains the separator
   */
  Optional<Registration> register(String topic, Handler handler, Duration within)
      throws InterruptedException;

  /** Ends the connection; registered handlers get {@code onLost}. Never throws. */
  @Override
  void close();
}
