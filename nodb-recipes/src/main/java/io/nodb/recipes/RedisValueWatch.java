package io.nodb.recipes;

import io.nodb.lock.internal.Topics;
import io.nodb.recipes.internal.StoredText;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link ValueWatch} of a {@link RedisValueStore}: a handler for the key's topic on the store's
 * "ready" channel. Message bodies: {@code V} followed by the stored text (a value small enough to
 * travel with its notice), {@code v} (a value was stored; read it), {@code F} followed by the
 * stored failure text, {@code A} (abandoned). Messages are decoded on the reader thread as they
 * arrive, so an {@linkplain #onStored listener} gets the value at once; a {@code v} is read from
 * the store by {@link #await} on the waiting thread. A message that cannot be understood is
 * reported as {@link StoreNotice.Kind#ABANDONED}, so the waiter looks for itself; a value that
 * cannot be decoded is thrown by {@code await}.
 *
 * <p>Thread-safe: the reader thread adds, one waiting thread takes.
 */
final class RedisValueWatch<V> implements ValueWatch<V>, Topics.Handler {

  static final String VALUE = "V";
  static final String VALUE_STORED = "v";
  static final String FAILURE = "F";
  static final String ABANDONED = "A";

  /** Queued for a {@code v} message: {@link #await} reads the value. */
  private static final Object READ_IT = new Object();

  private final String key;
  private final Function<String, V> decode;
  private final Supplier<Optional<V>> read;
  private final LinkedBlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private volatile Consumer<? super V> listener;
  private volatile Topics.Registration subscription;

  /**
   * Creates the watch of one key.
   *
   * @param key the caller's key
   * @param decode turns the body of a value notice into the value
   * @param read reads the key's value from the store (for a value too large for its notice)
   */
  RedisValueWatch(String key, Function<String, V> decode, Supplier<Optional<V>> read) {
    this.key = key;
    this.decode = decode;
    this.read = read;
  }

  void attach(Topics.Registration s) {
    this.subscription = s;
  }

  @Override
  public void onStored(Consumer<? super V> valueListener) {
    this.listener = valueListener;
  }

  @Override
  public void onMessage(String body) {
    Object item;
    try {
      item = decode(body);
    } catch (RuntimeException undecodable) {
      item = undecodable;
    }
    try {
      Consumer<? super V> l = listener;
      if (l != null && item instanceof StoreNotice<?> n && n.kind() == StoreNotice.Kind.STORED) {
        @SuppressWarnings("unchecked")
        V value = (V) n.value();
        l.accept(value);
      }
    } finally {
      arrived.add(item); // the waiting thread gets it even if the listener failed
    }
  }

  @Override
  public void onLost() {
    arrived.add(StoreNotice.lost());
  }

  @Override
  public Optional<StoreNotice<V>> await(Duration timeout) throws InterruptedException {
    Object item = arrived.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    if (item == null) {
      return Optional.empty();
    }
    if (item == READ_IT) {
      return Optional.of(read.get().map(StoreNotice::stored).orElseGet(StoreNotice::abandoned));
    }
    if (item instanceof RuntimeException undecodable) {
      throw undecodable;
    }
    @SuppressWarnings("unchecked")
    StoreNotice<V> notice = (StoreNotice<V>) item;
    return Optional.of(notice);
  }

  private Object decode(String m) {
    if (m.startsWith(VALUE)) {
      return StoredText.unwrap(key, m.substring(1))
          .map(decode)
          .map(StoreNotice::stored)
          .orElseGet(StoreNotice::abandoned);
    }
    if (m.equals(VALUE_STORED)) {
      return READ_IT;
    }
    if (m.startsWith(FAILURE)) {
      return StoredText.unwrap(key, m.substring(1))
          .flatMap(StoredText::decodeFailure)
          .<StoreNotice<V>>map(StoreNotice::failed)
          .orElseGet(StoreNotice::abandoned);
    }
    return StoreNotice.abandoned();
  }

  @Override
  public void close() {
    Topics.Registration s = subscription;
    if (s != null) {
      s.close();
    }
  }
}
