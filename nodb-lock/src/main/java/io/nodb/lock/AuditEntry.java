package io.nodb.lock;

import java.time.Instant;

/**
 * One forced unlock or clear from a run's audit trail: when, what, why, by whom, and who held the
 * lock before. Immutable and thread-safe.
 *
 * @param at when it happened, by the operator's wall clock
 * @param operation {@code force} or {@code clear}
 * @param key the lock that was freed
 * @param reason the reason the operator gave
 * @param actor who did it ({@code host:pid user=name})
 * @param previousOwner the evicted holder (its TTL is reported as zero)
 */
public record AuditEntry(
    Instant at,
    String operation,
    LockKey key,
    String reason,
    String actor,
    LockInfo previousOwner) {}
