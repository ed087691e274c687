package io.nodb.lock.internal;

/**
 * Who is acquiring a lock and for how long, as stored next to the token.
 *
 * @param host the acquiring host
 * @param pid the acquiring process
 * @param thread the acquiring thread's name
 * @param acquiredAtMillis the holder's wall-clock time of the attempt, epoch millis
 * @param leaseMillis the lease
 */
public record OwnerStamp(
    String host, long pid, String thread, long acquiredAtMillis, long leaseMillis) {}
