package io.nodb.lock.internal.redis;

/**
 * Commands for a live pub/sub connection opened by {@link RedisConnection#listen}. Thread-safe: the
 * connection's reader runs on its own thread while any thread sends these.
 */
interface PubSubCommands {

  /**
   * Asks the server for a pong on this connection (answered as {@link PubSubSink#pong()}), to prove
   * that it still delivers.
   *
   * @throws io.nodb.lock.LockBackendUnavailableException if the connection is broken
   */
  void sendPing();

  /** Closes the socket at once (no flush, no reply awaited), ending the listen call. */
  void disconnect();
}
