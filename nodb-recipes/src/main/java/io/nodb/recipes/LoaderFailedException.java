package io.nodb.recipes;

import io.nodb.NoDbException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link SingleFlight#getOrCompute} to every caller of a compute round whose loader
 * failed: the caller that ran the loader, the callers in its JVM that waited for it, and callers in
 * other processes that waited for it (those learn the failure from the store's failure record).
 *
 * <p>In the computing process the cause is the loader's exception itself. In other processes there
 * is no cause; {@link #failure()} carries the exception's type and message and the process it came
 * from.
 */
public final class LoaderFailedException extends NoDbException {

  private final transient String key;
  private final transient @Nullable LoadFailure failure;

  private LoaderFailedException(
      String message, String key, @Nullable LoadFailure failure, @Nullable Throwable cause) {
    super(message, cause);
    this.key = key;
    this.failure = failure;
  }

  static LoaderFailedException local(String what, String key, Throwable cause) {
    return new LoaderFailedException(
        what + ": loader for key '" + key + "' failed: " + cause, key, null, cause);
  }

  static LoaderFailedException remote(String what, String key, LoadFailure failure) {
    return new LoaderFailedException(
        what
            + ": loader for key '"
            + key
            + "' failed in "
            + failure.origin()
            + (failure.negative() ? " (cached failure)" : "")
            + ": "
            + failure.describe(),
        key,
        failure,
        null);
  }

  /** Returns the caller's key. */
  public String key() {
    return key;
  }

  /** Returns whether the loader ran in another process (then there is no cause). */
  public boolean isRemote() {
    return failure != null;
  }

  /** Returns the recorded failure when it came from the store, else empty. */
  public Optional<LoadFailure> failure() {
    return Optional.ofNullable(failure);
  }
}
