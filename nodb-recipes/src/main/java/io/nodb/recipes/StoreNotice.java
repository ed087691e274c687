package io.nodb.recipes;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ValueWatch} saw happen to one key of a {@link ValueStore}: a value was stored, a
 * loader failure was recorded, the process computing the key ended its round with neither, or the
 * watch itself ended. Immutable and thread-safe.
 *
 * @param kind what happened
 * @param value the stored value, present only for {@link Kind#STORED} (else null)
 * @param failure the recorded failure, present only for {@link Kind#FAILED} (else null)
 * @param <V> the value type
 */
public record StoreNotice<V>(Kind kind, @Nullable V value, @Nullable LoadFailure failure) {

  /** The kinds of notice. */
  public enum Kind {
    /** A value was stored; {@link StoreNotice#value()} is it. */
    STORED,
    /** A loader failure was recorded; {@link StoreNotice#failure()} is it. */
    FAILED,
    /** The process computing the key ended its round without storing a value or a failure. */
    ABANDONED,
    /** The watch will deliver nothing more (its connection ended or the store closed). */
    LOST
  }

  /**
   * Validates the notice.
   *
   * @throws IllegalArgumentException if the value or failure does not match the kind
   */
  public StoreNotice {
    Objects.requireNonNull(kind, "kind");
    if ((value != null) != (kind == Kind.STORED) || (failure != null) != (kind == Kind.FAILED)) {
      throw new IllegalArgumentException(
          "a " + kind + " notice must carry exactly what its kind says");
    }
  }

  /**
   * Returns a notice that a value was stored.
   *
   * @param value the value
   * @param <V> the value type
   * @return the notice
   */
  public static <V> StoreNotice<V> stored(V value) {
    return new StoreNotice<>(Kind.STORED, Objects.requireNonNull(value, "value"), null);
  }

  /**
   * Returns a notice that a failure was recorded.
   *
   * @param failure the failure
   * @param <V> the value type
   * @return the notice
   */
  public static <V> StoreNotice<V> failed(LoadFailure failure) {
    return new StoreNotice<>(Kind.FAILED, null, Objects.requireNonNull(failure, "failure"));
  }

  /**
   * Returns a notice that a round ended with nothing stored.
   *
   * @param <V> the value type
   * @return the notice
   */
  public static <V> StoreNotice<V> abandoned() {
    return new StoreNotice<>(Kind.ABANDONED, null, null);
  }

  /**
   * Returns a notice that the watch ended.
   *
   * @param <V> the value type
   * @return the notice
   */
  public static <V> StoreNotice<V> lost() {
    return new StoreNotice<>(Kind.LOST, null, null);
  }
}
