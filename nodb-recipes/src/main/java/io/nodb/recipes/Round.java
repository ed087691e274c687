package io.nodb.recipes;

/**
 * One compute round: the fence of the compute lock it runs under, and whether its outcome (value or
 * failure) reached the store, and so the store's watchers. A round that ends without that is
 * {@linkplain ValueStore#abandon abandoned} once its lock is released, so waiters do not wait for a
 * notice that will never come. Confined to the computing thread.
 */
final class Round {

  final long fence;
  boolean announced;

  private Round(long fence) {
    this.fence = fence;
  }

  /** A round under the compute lock with this fence. */
  static Round locked(long fence) {
    return new Round(fence);
  }

  /** A round without the lock (no cross-process coordination): nobody waits for its notice. */
  static Round unlocked() {
    return new Round(-1);
  }
}
