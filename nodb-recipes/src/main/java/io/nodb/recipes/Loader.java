package io.nodb.recipes;

/**
 * Computes the value of a key for a {@link SingleFlight}, e.g. by calling an expensive external
 * API. It may throw any exception; the single-flight hands it to every caller that waited for this
 * compute, wrapped in {@link LoaderFailedException}, and does not cache it (unless a negative TTL
 * is configured).
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface Loader<V> {

  /**
   * Computes the value.
   *
   * @param key the caller's key
   * @return the value, never null
   * @throws Exception if it cannot
   */
  V load(String key) throws Exception;
}
