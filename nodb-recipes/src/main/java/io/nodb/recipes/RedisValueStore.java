package io.nodb.recipes;

import io.nodb.lock.LockNamespace;
import io.nodb.lock.internal.RedisAccess;
import io.nodb.lock.internal.RedisSupport;
import io.nodb.lock.internal.Topics;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.recipes.internal.StoredText;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ValueStore} in Redis, shared by every process that uses the same URL and name: values
 * expire after a TTL, encoded to text by a {@link ValueCodec}.
 *
 * <p>Key layout for a store named {@code prices}: the value of user key {@code k} lives at {@code
 * nodb-sf-value:{flight:prices}:<h>} and its last loader failure at {@code
 * nodb-sf-failure:{flight:prices}:<h>}, where {@code h} is the first 40 hex digits of SHA-256 of
 * {@code k}. The hash tag {@code {flight:prices}} is the tag of the single-flight's lock namespace
 * ({@code LockNamespace.of(FLIGHT, "prices")}), where its compute locks live, so a store and its
 * locks share a Redis Cluster slot. The stored text starts with the user key itself ({@code
 * <length>:<key><encoded value>}); a read whose key does not match is treated as a miss.
 *
 * <p>It supports {@linkplain #watch watching}: {@link #put}, {@link #putFailure} and {@link
 * #abandon} publish a notice {@code <h>|<kind><text>} on the store's channel {@code
 * nodb-sf-ready:{flight:prices}}, in the same script that writes the key, so a watcher either gets
 * the notice or, having started after it, finds the key. Values up to {@value #INLINE_LIMIT}
 * characters of stored text travel with their notice (a waiter then needs no read); larger ones are
 * read by the watcher. A process's watches share one dedicated pub/sub connection per store, opened
 * at its first watch and kept, so starting a watch costs no round trip; every process that has
 * watched receives the notices of every key of the store (one per compute, which for an expensive
 * loader is rare), and drops those nobody in it waits for.
 *
 * <p>Thread-safe. Close it to release its connections: its pub/sub connection, and its share of the
 * process's connection pool for the URL and timeouts (shared with lock clients and the store's
 * cache on the same URL; closed with its last user). Transport failures throw {@link
 * io.nodb.lock.LockBackendUnavailableException}.
 *
 * <pre>{@code
 * RedisValueStore<Quote> store =
 *     RedisValueStore.builder("redis://cache:6379", "quotes", ValueCodec.json(Quote.class))
 *         .ttl(Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 *
 * @param <V> the value type
 */
public final class RedisValueStore<V> implements ValueStore<V>, AutoCloseable {

  /** Values whose stored text is at most this long travel inside their notice. */
  public static final int INLINE_LIMIT = 16 * 1024;

  private final RedisAccess redis;
  private final Topics notices;
  private final String channel;
  private final LockNamespace namespace;
  private final ValueCodec<V> codec;
  private final Duration ttl;
  private final Duration confirmWithin;

  private RedisValueStore(Builder<V> b) {
    this.namespace = RecipeKeys.namespace(LockNamespace.FLIGHT, b.name);
    this.codec = b.codec;
    this.ttl = b.ttl;
    this.confirmWithin = b.connectTimeout.plus(b.readTimeout);
    this.redis =
        RedisSupport.load().access(b.url, b.connectTimeout, b.readTimeout, b.maxConnections);
    this.channel = "nodb-sf-ready:{" + namespace.tag() + "}";
    this.notices =
        redis.topics(
            channel, "nodb-sf-ready-" + b.name, Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  /**
   * Returns a builder.
   *
   * @param url the Redis URL ({@code redis://[user:password@]host:port[/db]} or {@code rediss://})
   * @param name the store's name; use the same name as the {@link SingleFlight} it serves (the same
   *     rule: 1-128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit)
   * @param codec turns values into text and back
   * @param <V> the value type
   * @return the builder
   * @throws io.nodb.InvalidLockNamespaceException if the name is invalid
   */
  public static <V> Builder<V> builder(String url, String name, ValueCodec<V> codec) {
    return new Builder<>(url, name, codec);
  }

  @Override
  public boolean isRemote() {
    return true;
  }

  @Override
  public Optional<V> get(String key) {
    return redis
        .get(RecipeKeys.redisKey("sf-value", namespace, key))
        .flatMap(text -> StoredText.unwrap(key, text))
        .map(codec::decode);
  }

  @Override
  public void put(String key, V value) {
    String text = StoredText.wrap(key, codec.encode(value));
    boolean inline = text.length() <= INLINE_LIMIT;
    redis.setAndPublish(
        RecipeKeys.redisKey("sf-value", namespace, key),
        text,
        ttl,
        channel,
        noticeOf(key, inline ? RedisValueWatch.VALUE : RedisValueWatch.VALUE_STORED),
        inline);
  }

  @Override
  public void putFailure(String key, LoadFailure failure, Duration ttl) {
    redis.setAndPublish(
        RecipeKeys.redisKey("sf-failure", namespace, key),
        StoredText.wrap(key, StoredText.encodeFailure(failure)),
        ttl,
        channel,
        noticeOf(key, RedisValueWatch.FAILURE),
        true);
  }

  /**
   * Watches a key over the store's pub/sub connection: no round trip once the connection is open;
   * opening it (at the first watch, or after it broke) waits up to the connect plus the read
   * timeout, and a connection silent for 5 s is pinged first.
   *
   * @return the watch, or empty if the pub/sub connection does not work now (it is retried one
   *     second after a failure) or the thread was interrupted (the flag is restored)
   */
  @Override
  public Optional<ValueWatch<V>> watch(String key) {
    RedisValueWatch<V> w = new RedisValueWatch<>(key, codec::decode, () -> get(key));
    Optional<Topics.Registration> r;
    try {
      r = notices.register(RecipeKeys.digest(key), w, confirmWithin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    r.ifPresent(w::attach);
    return r.map(x -> w);
  }

  @Override
  public void abandon(String key) {
    redis.publish(channel, noticeOf(key, RedisValueWatch.ABANDONED));
  }

  /** A notice's start: the key's topic (its digest), the separator, and the kind. */
  private static String noticeOf(String key, String kind) {
    return RecipeKeys.digest(key) + Topics.SEPARATOR + kind;
  }

  @Override
  public Optional<LoadFailure> failure(String key) {
    return redis
        .get(RecipeKeys.redisKey("sf-failure", namespace, key))
        .flatMap(text -> StoredText.unwrap(key, text))
        .flatMap(StoredText::decodeFailure);
  }

  /**
   * Deletes the value of a key (and its failure record), e.g. to force the next call to recompute.
   *
   * @param key the caller's key
   * @return whether a value existed
   */
  public boolean invalidate(String key) {
    redis.delete(RecipeKeys.redisKey("sf-failure", namespace, key));
    return redis.delete(RecipeKeys.redisKey("sf-value", namespace, key));
  }

  /** Returns the TTL of values. */
  public Duration ttl() {
    return ttl;
  }

  /** Ends the watches (they see {@link StoreNotice.Kind#LOST}) and closes the connections. */
  @Override
  public void close() {
    notices.close();
    redis.close();
  }

  /**
   * Configures a {@link RedisValueStore}. Defaults: TTL 5 minutes, connect and read timeouts 2 s,
   * 16 connections. Not thread-safe.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {
    private final String url;
    private final String name;
    private final ValueCodec<V> codec;
    private Duration ttl = Duration.ofMinutes(5);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration readTimeout = Duration.ofSeconds(2);
    private int maxConnections = 16;

    private Builder(String url, String name, ValueCodec<V> codec) {
      this.url = Objects.requireNonNull(url, "url");
      this.name = name;
      RecipeKeys.namespace(LockNamespace.FLIGHT, name);
      this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Sets how long values live.
     *
     * @param ttl at least 1 ms
     * @return this builder
     */
    public Builder<V> ttl(Duration ttl) {
      this.ttl = atLeastOneMilli(ttl, "ttl");
      return this;
    }

    /**
     * Sets the connect timeout.
     *
     * @param timeout at least 1 ms
     * @return this builder
     */
    public Builder<V> connectTimeout(Duration timeout) {
      this.connectTimeout = atLeastOneMilli(timeout, "connect timeout");
      return this;
    }

    /**
     * Sets the read timeout of one call.
     *
     * @param timeout at least 1 ms
     * @return this builder
     */
    public Builder<V> readTimeout(Duration timeout) {
      this.readTimeout = atLeastOneMilli(timeout, "read timeout");
      return this;
    }

    /**
     * Sets the connection pool size.
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder<V> maxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1, was " + max);
      }
      this.maxConnections = max;
      return this;
    }

    /**
     * Builds the store; connections open lazily.
     *
     * @return the store
     * @throws IllegalArgumentException if the URL cannot be parsed
     * @throws io.nodb.MissingModuleException if {@code io.nodb:nodb-lock-redis} is not on the class
     *     path
     */
    public RedisValueStore<V> build() {
      return new RedisValueStore<>(this);
    }

    private static Duration atLeastOneMilli(Duration d, String what) {
      if (d.toMillis() < 1) {
        throw new IllegalArgumentException(what + " must be at least 1 ms, was " + d);
      }
      return d;
    }
  }
}
