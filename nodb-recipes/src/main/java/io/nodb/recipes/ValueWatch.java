package io.nodb.recipes;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A watch on one key of a {@link ValueStore}, returned by {@link ValueStore#watch}: from the moment
 * it is returned, every value or failure stored for the key by any process, and every round
 * abandoned by {@link ValueStore#abandon}, is delivered to it in order, until it is closed or
 * {@linkplain StoreNotice.Kind#LOST lost}. A {@link SingleFlight} waiting for another process's
 * compute uses it to be woken with the value the moment it is stored, instead of polling.
 *
 * <p>Concurrency: {@link #await} is called by one thread at a time; {@link #close()} may be called
 * from any thread, is idempotent and never throws.
 *
 * @param <V> the value type
 */
public interface ValueWatch<V> extends AutoCloseable {

  /**
   * Waits for the next notice.
   *
   * @param timeout how long to wait at most
   * @return the notice, or empty if none came in time; after a {@link StoreNotice.Kind#LOST} notice
   *     nothing more arrives
   * @throws InterruptedException if interrupted while waiting
   * @throws RuntimeException if a delivered value cannot be decoded or read, as {@link
   *     ValueStore#get} would throw
   */
  Optional<StoreNotice<V>> await(Duration timeout) throws InterruptedException;

  /**
   * Also hands each stored value to {@code listener} on the thread that receives the notice, as
   * soon as it arrives and before {@link #await} returns it: a caller can wake the threads that
   * wait with it without waiting for its own thread to be scheduled first. The listener must be
   * quick and must not throw. A value that arrives before this call reaches only {@code await}. The
   * default ignores the listener (values reach only {@code await}).
   *
   * @param listener receives stored values
   */
  default void onStored(Consumer<? super V> listener) {}

  /** Stops the watch. */
  @Override
  void close();
}
