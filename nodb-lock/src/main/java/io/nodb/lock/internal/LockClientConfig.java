package io.nodb.lock.internal;

import io.nodb.lock.LockScheduler;
import io.nodb.lock.Ticker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The validated settings of one lock client, produced by {@code LockClientBuilder}. Exactly one of
 * {@code redisUrl} and {@code localRunsRoot} is set.
 *
 * @param redisUrl the Redis URL, or null for the local backend
 * @param localRunsRoot the runs root of the local backend, or null for Redis
 * @param defaultLease the lease used when a call gives none
 * @param safetyMargin the explicit safety margin, or null for 1% of each lease plus 2 ms
 * @param connectTimeout the backend connect timeout
 * @param readTimeout the backend read timeout for one call
 * @param maxConnections the Redis connection pool size
 * @param clock the wall clock
 * @param ticker the monotonic clock
 * @param meterRegistry a Micrometer {@code MeterRegistry}, or null (typed as Object so Micrometer
 *     stays optional)
 * @param releaseOnShutdown whether a JVM shutdown hook releases the handles still held
 * @param scheduler runs renewals and expiry notices, or null for the JVM's shared watchdog
 */
public record LockClientConfig(
    String redisUrl,
    Path localRunsRoot,
    Duration defaultLease,
    Duration safetyMargin,
    Duration connectTimeout,
    Duration readTimeout,
    int maxConnections,
    Clock clock,
    Ticker ticker,
    Object meterRegistry,
    boolean releaseOnShutdown,
    LockScheduler scheduler) {

  /** Returns the safety margin for a lease: explicit or 1% + 2 ms, capped at a quarter. */
  long safetyMarginNanos(Duration lease) {
    long leaseNanos = lease.toNanos();
    long margin = safetyMargin != null ? safetyMargin.toNanos() : leaseNanos / 100 + 2_000_000L;
    return Math.min(margin, leaseNanos / 4);
  }
}
