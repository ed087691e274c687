package io.nodb.lock.internal.local;

import io.nodb.lock.LossReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tokens recently evicted from the keys of one run by a forced unlock or a clear (the run's
 * {@code evictions.json}; in the old per-key layout, one key's), so that their holders learn why
 * they lost the lock ({@link LossReason#FORCED} or {@link LossReason#CLEARED}) instead of a generic
 * expiry.
 *
 * <p>Entries are kept for {@link #RETENTION_MILLIS} and at most {@link #MAX_ENTRIES} of them
 * (oldest dropped first); a holder that asks later is told its lease expired or was taken over,
 * which is still a loss. Immutable and thread-safe.
 *
 * @param entries the evictions, oldest first
 */
record EvictionLog(List<Eviction> entries) {

  /** How long an eviction is remembered: far longer than any lease a holder keeps renewing. */
  static final long RETENTION_MILLIS = 10 * 60 * 1000L;

  /** How many evictions of one run are remembered (as on Redis). */
  static final int MAX_ENTRIES = 256;

  /**
   * One evicted token.
   *
   * @param token the evicted holder's token
   * @param reason FORCED or CLEARED
   * @param atMillis when it was evicted, epoch millis
   */
  record Eviction(String token, LossReason reason, long atMillis) {}

  EvictionLog {
    entries = List.copyOf(entries);
  }

  /** Returns a log with no entries. */
  static EvictionLog empty() {
    return new EvictionLog(List.of());
  }

  /**
   * Returns this log with {@code token} added and stale or excess entries dropped.
   *
   * @param token the evicted token
   * @param reason FORCED or CLEARED
   * @param nowMillis the current time, epoch millis
   * @return the new log
   */
  EvictionLog with(String token, LossReason reason, long nowMillis) {
    return withAll(List.of(new Eviction(token, reason, nowMillis)), nowMillis);
  }

  /**
   * Returns this log with {@code more} added after its entries and stale or excess entries dropped.
   *
   * @param more the evictions to add, oldest first
   * @param nowMillis the current time, epoch millis
   * @return the new log
   */
  EvictionLog withAll(List<Eviction> more, long nowMillis) {
    List<Eviction> kept = new ArrayList<>(pruned(nowMillis).entries);
    for (Eviction e : more) {
      if (isRecent(e, nowMillis)) {
        kept.add(e);
      }
    }
    int excess = kept.size() - MAX_ENTRIES;
    return new EvictionLog(excess > 0 ? kept.subList(excess, kept.size()) : kept);
  }

  /**
   * Returns this log without entries older than the retention.
   *
   * @param nowMillis the current time, epoch millis
   * @return the pruned log (this one if nothing was dropped)
   */
  EvictionLog pruned(long nowMillis) {
    List<Eviction> kept = entries.stream().filter(e -> isRecent(e, nowMillis)).toList();
    return kept.size() == entries.size() ? this : new EvictionLog(kept);
  }

  /**
   * Returns why {@code token} was evicted, if it was, recently.
   *
   * @param token the token
   * @param nowMillis the current time, epoch millis
   * @return FORCED or CLEARED, or empty
   */
  Optional<LossReason> reasonFor(String token, long nowMillis) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      Eviction e = entries.get(i);
      if (e.token().equals(token) && isRecent(e, nowMillis)) {
        return Optional.of(e.reason());
      }
    }
    return Optional.empty();
  }

  private static boolean isRecent(Eviction e, long nowMillis) {
    return nowMillis - e.atMillis() < RETENTION_MILLIS;
  }
}
