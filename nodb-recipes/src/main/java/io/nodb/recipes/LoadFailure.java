package io.nodb.recipes;

import java.util.Objects;

/**
 * A loader failure as recorded in a {@link ValueStore}, so that callers in other processes that
 * waited for the same compute learn of it (and, with a negative TTL, so that later callers fail
 * fast instead of calling the loader again).
 *
 * <p>Immutable and thread-safe.
 *
 * @param round the fence of the compute lock under which the loader ran, or -1 if it ran without
 *     the lock (then only a negative-TTL lookup sees it); a waiter treats a failure as its own when
 *     {@code round} is at least the fence of the holder it started waiting for
 * @param origin the {@code host:pid} of the process whose loader failed
 * @param type the class name of the loader's exception
 * @param message the exception's message, or an empty string
 * @param negative whether the failure is cached (a negative-TTL entry) for callers that did not
 *     wait for it
 */
public record LoadFailure(
    long round, String origin, String type, String message, boolean negative) {

  /** Validates the record. */
  public LoadFailure {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(type, "type");
    message = message == null ? "" : message;
  }

  /** Returns {@code type: message}. */
  public String describe() {
    return message.isEmpty() ? type : type + ": " + message;
  }
}
