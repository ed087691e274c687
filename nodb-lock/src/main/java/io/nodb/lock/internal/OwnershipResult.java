package io.nodb.lock.internal;

import io.nodb.lock.LossReason;
import io.nodb.lock.ReleaseOutcome;

/**
 * The answer of an owner-checked operation (release or extend).
 *
 * @param owned whether the token held the lock (and the operation was applied)
 * @param outcome for a release: RELEASED when owned, else NOT_OWNER or ALREADY_EXPIRED
 * @param lossReason when not owned: FORCED, CLEARED, TAKEN_OVER or EXPIRED; null when owned
 */
public record OwnershipResult(boolean owned, ReleaseOutcome outcome, LossReason lossReason) {

  /** Returns the result for a token that held the lock. */
  public static OwnershipResult ownedByCaller() {
    return new OwnershipResult(true, ReleaseOutcome.RELEASED, null);
  }

  /**
   * Returns the result for a token that no longer holds the lock.
   *
   * @param reason FORCED, CLEARED, TAKEN_OVER or EXPIRED
   * @return the result; EXPIRED maps to ALREADY_EXPIRED, the others to NOT_OWNER
   */
  public static OwnershipResult lost(LossReason reason) {
    return new OwnershipResult(
        false,
        reason == LossReason.EXPIRED ? ReleaseOutcome.ALREADY_EXPIRED : ReleaseOutcome.NOT_OWNER,
        reason);
  }
}
