package io.nodb.lock.internal.redis;

/**
 * Receives the events of one pub/sub connection from {@link RedisConnection#listen}, on the thread
 * that called it. Implementations must return quickly: the next message waits.
 */
interface PubSubSink {

  /**
   * The connection is open; {@code commands} may be used from any thread from now on, and is the
   * way to end the connection ({@link PubSubCommands#disconnect()}) even before the first channel
   * is confirmed.
   */
  void opened(PubSubCommands commands);

  /** The server confirmed a subscription to {@code channel}. */
  void subscribed(String channel);

  /** A message arrived on {@code channel}. */
  void message(String channel, String message);

  /** The server answered a {@link PubSubCommands#sendPing()}. */
  void pong();
}
