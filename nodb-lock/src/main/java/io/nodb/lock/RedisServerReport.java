package io.nodb.lock;

import io.nodb.lock.internal.RedisSupport;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a Redis server says about itself, for operator diagnostics ({@code nodb doctor}): PING round
 * trip, version, persistence and clock skew. Not part of locking: it is read on a connection of its
 * own (client name {@code nodb-doctor}, with the lock client's settings: TLS, ACL user, database)
 * with {@code INFO}, {@code CONFIG GET save} and {@code TIME}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pingMedian the median of 5 PING round trips
 * @param version {@code redis_version}, or null if not reported
 * @param aofEnabled whether the append-only file is on
 * @param rdbSave the RDB {@code save} rules ("" when snapshots are off), or null when CONFIG is not
 *     allowed
 * @param clockSkew server TIME minus this host's wall clock at the middle of the round trip
 */
public record RedisServerReport(
    Duration pingMedian,
    @Nullable String version,
    boolean aofEnabled,
    @Nullable String rdbSave,
    Duration clockSkew) {

  /**
   * Checks the durations.
   *
   * @throws NullPointerException if a duration is null
   */
  public RedisServerReport {
    Objects.requireNonNull(pingMedian, "pingMedian");
    Objects.requireNonNull(clockSkew, "clockSkew");
  }

  /**
   * Connects to a Redis server and reads its report; one connection, closed before returning.
   *
   * @param redisUrl the Redis URL
   * @param timeout the connect and read timeout
   * @return the report
   * @throws LockBackendUnavailableException if the server cannot be reached or does not answer
   * @throws IllegalStateException if the server answers something that cannot be parsed
   * @throws io.nodb.NoDbException if the URL is malformed (its message shows it redacted)
   * @throws io.nodb.MissingModuleException if {@code io.nodb:nodb-lock-redis} is not on the path
   */
  public static RedisServerReport read(String redisUrl, Duration timeout) {
    return RedisSupport.load().serverReport(redisUrl, timeout);
  }

  /** Returns whether neither AOF nor RDB snapshots are known to be on. */
  public boolean nothingPersisted() {
    return !aofEnabled && rdbSave != null && rdbSave.isBlank();
  }
}
