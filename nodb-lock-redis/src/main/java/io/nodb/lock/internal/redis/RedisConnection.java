package io.nodb.lock.internal.redis;

import io.nodb.NoDbException;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.internal.RedisEndpoint;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.util.KeyValue;

/**
 * The one seam where nodb touches Jedis: a pooled {@link RedisClient}, script evaluation by SHA
 * with reload on {@code NOSCRIPT}, a bounded blocking pop, pub/sub on a dedicated connection, and
 * translation of Jedis exceptions into nodb's ({@link LockBackendUnavailableException} for
 * transport failures, {@link NoDbException} for error replies).
 *
 * <p>Every call is bounded: connect and read timeouts come from the configuration, and a blocking
 * pop never waits longer than {@code maxBlock} plus the read timeout even when the server is
 * paused. The one exception is {@link #listen}, which runs until its connection is ended; its
 * caller bounds it by {@linkplain PubSubCommands#disconnect() disconnecting}. Thread-safe;
 * connections are borrowed from the pool per call.
 */
final class RedisConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

  private final RedisClient client;
  private final DefaultJedisClientConfig clientConfig;
  private final DefaultJedisClientConfig pubSubConfig;
  private final Duration openTimeout;
  private final HostAndPort hostAndPort;
  private final RedisEndpoint endpoint;
  private final Duration maxBlock;
  private final Semaphore blockingSlots;
  private int maxConnections; // guarded by this

  RedisConnection(
      RedisEndpoint endpoint,
      Duration connectTimeout,
      Duration readTimeout,
      int maxConnections,
      Duration maxBlock) {
    this.endpoint = endpoint;
    this.maxBlock = maxBlock;
    this.blockingSlots = new Semaphore(Math.max(1, maxConnections / 2));
    this.maxConnections = maxConnections;
    this.openTimeout = connectTimeout.plus(readTimeout);
    this.clientConfig =
        clientConfig(endpoint, connectTimeout, readTimeout, maxBlock.plus(readTimeout), "nodb");
    // A subscriber's read waits for the next message however long that takes; its liveness is
    // checked by whoever uses it (a ping), not by a socket timeout.
    this.pubSubConfig = clientConfig(endpoint, connectTimeout, readTimeout, Duration.ZERO, "nodb");
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(maxConnections);
    pool.setMaxIdle(maxConnections);
    pool.setMinIdle(0);
    pool.setMaxWait(connectTimeout);
    pool.setTestOnBorrow(false);
    pool.setJmxEnabled(false);
    this.hostAndPort = new HostAndPort(endpoint.host(), endpoint.port());
    this.client =
        RedisClient.builder()
            .hostAndPort(hostAndPort)
            .clientConfig(clientConfig)
            .poolConfig(pool)
            .build();
  }

  /**
   * Lets the pool hold up to {@code max} connections (and half of them block), if that is more than
   * now: a larger user joined a shared pool ({@link RedisPools}).
   */
  synchronized void growTo(int max) {
    if (max <= maxConnections) {
      return;
    }
    int moreSlots = Math.max(1, max / 2) - Math.max(1, maxConnections / 2);
    client.getPool().setMaxTotal(max);
    client.getPool().setMaxIdle(max);
    blockingSlots.release(moreSlots);
    maxConnections = max;
  }

  /** Returns how many connections the pool may hold now. */
  synchronized int maxConnections() {
    return maxConnections;
  }

  /** The client settings of every nodb connection to {@code endpoint}: TLS, ACL user, database. */
  static DefaultJedisClientConfig clientConfig(
      RedisEndpoint endpoint, Duration connect, Duration read, Duration blocking, String name) {
    DefaultJedisClientConfig.Builder cfg =
        DefaultJedisClientConfig.builder()
            .resp2()
            .connectionTimeoutMillis((int) connect.toMillis())
            .socketTimeoutMillis((int) read.toMillis())
            .blockingSocketTimeoutMillis((int) blocking.toMillis())
            .database(endpoint.database())
            .clientName(name);
    if (endpoint.tls()) {
      cfg.sslOptions(SslOptions.defaults());
    }
    if (endpoint.user() != null) {
      cfg.user(endpoint.user());
    }
    if (endpoint.password() != null) {
      cfg.password(endpoint.password());
    }
    return cfg.build();
  }

  /**
   * Evaluates a script by SHA, loading it first if the server does not know it. A {@linkplain
   * LuaScript#retryable() retryable} script that failed on a broken pooled connection (for example
   * after a server restart) is retried once on a fresh one; release is not (a second run could
   * misreport the outcome), evict is because each operator call carries its own id and the script
   * returns the recorded result of a call that already ran, and a timeout is never retried, so a
   * paused server costs one read timeout, not two.
   */
  Object eval(LuaScript script, List<String> keys, List<String> args) {
    try {
      try {
        return evalLoading(script, keys, args);
      } catch (JedisConnectionException e) {
        client.getPool().clear();
        if (isTimeout(e) || !script.retryable()) {
          throw e;
        }
        return evalLoading(script, keys, args);
      }
    } catch (RuntimeException e) {
      throw translate("script " + script.name(), e);
    }
  }

  private Object evalLoading(LuaScript script, List<String> keys, List<String> args) {
    try {
      return client.evalsha(script.sha1(), keys, args);
    } catch (JedisDataException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
        throw e;
      }
      client.scriptLoad(script.source(), keys.isEmpty() ? "" : keys.get(0));
      return client.evalsha(script.sha1(), keys, args);
    }
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Pops from {@code key}, blocking up to {@code timeout} (capped at {@code maxBlock}).
   *
   * @return true if an element was popped
   */
  boolean blockingPop(String key, Duration timeout) {
    long millis = Math.max(1, Math.min(timeout.toMillis(), maxBlock.toMillis()));
    // At most half the pool may block at once, so renewals and releases always find a connection;
    // a waiter that finds no slot returns after a short wait and simply re-checks the lock.
    boolean slot;
    try {
      slot = blockingSlots.tryAcquire(Math.min(millis, 50), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (!slot) {
      return false;
    }
    try {
      KeyValue<String, String> popped = client.blpop(millis / 1000.0, key);
      return popped != null;
    } catch (RuntimeException e) {
      throw translate("BLPOP", e);
    } finally {
      blockingSlots.release();
    }
  }

  /** Returns the string at {@code key}, or null if there is none. */
  String get(String key) {
    return read("GET", () -> client.get(key));
  }

  /**
   * Runs a read-only command, once more on a fresh connection if a pooled one turned out broken
   * (the first call after a server restart), never after a timeout.
   */
  private <T> T read(String operation, java.util.function.Supplier<T> command) {
    try {
      try {
        return command.get();
      } catch (JedisConnectionException e) {
        client.getPool().clear();
        if (isTimeout(e)) {
          throw e;
        }
        return command.get();
      }
    } catch (RuntimeException e) {
      throw translate(operation, e);
    }
  }

  /** Sets {@code key} to {@code value} with a time to live of {@code ttl} (at least 1 ms). */
  void setWithTtl(String key, String value, Duration ttl) {
    try {
      client.set(key, value, SetParams.setParams().px(Math.max(1, ttl.toMillis())));
    } catch (RuntimeException e) {
      throw translate("SET PX", e);
    }
  }

  /**
   * Sets {@code key} to {@code value} with a time to live and publishes {@code prefix} (followed by
   * the value if {@code withValue}) on {@code channel}, in one script: a subscriber either gets the
   * message or finds the key set.
   */
  void setAndPublish(
      String key, String value, Duration ttl, String channel, String prefix, boolean withValue) {
    eval(
        LuaScript.SET_PUBLISH,
        List.of(key),
        List.of(
            value,
            Long.toString(Math.max(1, ttl.toMillis())),
            channel,
            prefix,
            withValue ? "1" : "0"));
  }

  /** Publishes {@code message} on {@code channel}. */
  void publish(String channel, String message) {
    try {
      client.publish(channel, message);
    } catch (RuntimeException e) {
      throw translate("PUBLISH", e);
    }
  }

  /**
   * Opens a dedicated connection (not from the pool), subscribes to {@code channel} and delivers
   * its events to {@code sink} on the calling thread until the connection ends: when the sink's
   * commands disconnect it, or the server closes it. The connection's socket is opened once: Jedis
   * would silently reconnect a closed connection on its next command, so a disconnected subscriber
   * could never be ended.
   *
   * @throws LockBackendUnavailableException when the connection cannot be opened or breaks (the
   *     usual way this returns)
   * @throws NoDbException if the server refuses the subscription with an error reply
   */
  void listen(String channel, PubSubSink sink) {
    Connection connection;
    try {
      connection = new Connection(new OneSocket(hostAndPort, pubSubConfig), pubSubConfig);
    } catch (RuntimeException e) {
      throw translate("SUBSCRIBE", e);
    }
    Subscriber subscriber = new Subscriber(connection, sink);
    try (connection) {
      sink.opened(subscriber);
      if (!subscriber.disconnected) {
        subscriber.proceed(connection, channel);
      }
    } catch (RuntimeException e) {
      throw translate("SUBSCRIBE", e);
    }
  }

  /** How long opening a connection may take at most: connect plus one reply. */
  Duration openTimeout() {
    return openTimeout;
  }

  /** Makes the first socket of a connection and refuses to make another. */
  private static final class OneSocket implements JedisSocketFactory {
    private final DefaultJedisSocketFactory factory;
    private final AtomicBoolean used = new AtomicBoolean();

    OneSocket(HostAndPort hostAndPort, DefaultJedisClientConfig config) {
      this.factory = new DefaultJedisSocketFactory(hostAndPort, config);
    }

    @Override
    public Socket createSocket() {
      if (used.getAndSet(true)) {
        throw new JedisConnectionException("this pub/sub connection was closed");
      }
      return factory.createSocket();
    }
  }

  /** Jedis's pub/sub loop, bridged to a {@link PubSubSink}. */
  private final class Subscriber extends JedisPubSub implements PubSubCommands {
    private final Connection connection;
    private final PubSubSink sink;
    private volatile boolean disconnected;

    Subscriber(Connection connection, PubSubSink sink) {
      this.connection = connection;
      this.sink = sink;
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      sink.subscribed(channel);
    }

    @Override
    public void onMessage(String channel, String message) {
      sink.message(channel, message);
    }

    @Override
    public void onPong(String pattern) {
      sink.pong();
    }

    @Override
    public void sendPing() {
      if (disconnected) {
        throw new LockBackendUnavailableException(
            "the pub/sub connection to " + endpoint + " was closed",
            new IllegalStateException("disconnected"));
      }
      try {
        ping();
      } catch (RuntimeException e) {
        throw translate("PING", e);
      }
    }

    @Override
    public void disconnect() {
      disconnected = true;
      try {
        connection.forceDisconnect();
      } catch (IOException | RuntimeException e) {
        LOG.debug("[LOCK] closing a pub/sub connection to {} failed", endpoint, e);
      }
    }
  }

  /** Deletes {@code key}; returns whether it existed. */
  boolean delete(String key) {
    try {
      return client.del(key) > 0;
    } catch (RuntimeException e) {
      throw translate("DEL", e);
    }
  }

  /**
   * One {@code SCAN} step (admin listings only, never a hot path).
   *
   * @param cursor {@code 0} to start, else the previous step's cursor
   * @param match the {@code MATCH} pattern
   * @param count the {@code COUNT} hint
   * @return the next cursor ({@code 0} when done) followed by the keys of this step
   */
  List<String> scan(String cursor, String match, int count) {
    return read(
        "SCAN",
        () -> {
          var result =
              client.scan(
                  cursor, new redis.clients.jedis.params.ScanParams().match(match).count(count));
          List<String> out = new java.util.ArrayList<>(result.getResult().size() + 1);
          out.add(result.getCursor());
          out.addAll(result.getResult());
          return out;
        });
  }

  /** Returns up to {@code count} stream entries' fields, newest first. */
  List<Map<String, String>> streamNewestFirst(String key, int count) {
    return read(
        "XREVRANGE",
        () -> client.xrevrange(key, "+", "-", count).stream().map(StreamEntry::getFields).toList());
  }

  /** Sets {@code key} to {@code value} unless it exists (SET NX), then returns its value. */
  String setIfAbsentThenGet(String key, String value) {
    try {
      client.set(key, value, SetParams.setParams().nx());
    } catch (RuntimeException e) {
      throw translate("SET NX", e);
    }
    return get(key);
  }

  String ping() {
    return read("PING", client::ping);
  }

  RedisEndpoint endpoint() {
    return endpoint;
  }

  private RuntimeException translate(String operation, RuntimeException e) {
    return RedisErrors.translate(endpoint, operation, e);
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (RuntimeException e) {
      LOG.warn("[LOCK] closing the Redis connection pool to {} failed", endpoint, e);
    }
  }
}
