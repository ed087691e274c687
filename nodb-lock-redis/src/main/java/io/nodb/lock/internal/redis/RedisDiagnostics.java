package io.nodb.lock.internal.redis;

import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.RedisServerReport;
import io.nodb.lock.internal.RedisEndpoint;
import io.nodb.lock.internal.RedisUrls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reads what {@code nodb doctor} needs from a Redis server that the lock API does not expose: PING
 * round trips, {@code INFO server}, {@code INFO persistence}, {@code CONFIG GET save} and {@code
 * TIME}, behind the public {@link RedisServerReport#read}. Lives in the Redis seam so that Jedis
 * stays in this one package; it connects with the same client settings as {@link RedisConnection}
 * (TLS, ACL user, database) under the client name {@code nodb-doctor}. Not part of the lock client:
 * INFO, CONFIG and TIME are operator diagnostics.
 *
 * <p>Stateless and thread-safe; each {@link #read} opens and closes one connection.
 */
public final class RedisDiagnostics {

  private static final int PINGS = 5;

  private RedisDiagnostics() {}

  /**
   * Connects and reads the report.
   *
   * @param url the Redis URL
   * @param timeout the connect and read timeout
   * @return the report
   * @throws LockBackendUnavailableException if the server cannot be reached or does not answer
   * @throws IllegalStateException if the server answers something this reader cannot parse
   * @throws io.nodb.NoDbException if the URL is malformed (its message shows it redacted)
   */
  public static RedisServerReport read(String url, Duration timeout) {
    // Parsed by the library's parser: its errors show the URL redacted and carry no cause.
    RedisEndpoint endpoint = RedisEndpoint.parse(url);
    try (Jedis jedis = connect(endpoint, timeout)) {
      List<Long> rtts = new ArrayList<>();
      for (int i = 0; i < PINGS; i++) {
        long start = System.nanoTime();
        jedis.ping();
        rtts.add(System.nanoTime() - start);
      }
      Collections.sort(rtts);
      String server = jedis.info("server");
      String persistence = jedis.info("persistence");
      return new RedisServerReport(
          Duration.ofNanos(rtts.get(PINGS / 2)),
          infoField(server, "redis_version"),
          "1".equals(infoField(persistence, "aof_enabled")),
          saveRules(jedis),
          clockSkew(jedis));
    } catch (JedisConnectionException e) {
      throw new LockBackendUnavailableException(
          "Redis at " + RedisUrls.redact(url) + " unreachable (doctor): " + e.getMessage(), e);
    } catch (JedisException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "Redis at " + RedisUrls.redact(url) + " gave an unexpected answer: " + e.getMessage(), e);
    }
  }

  private static Jedis connect(RedisEndpoint endpoint, Duration timeout) {
    return new Jedis(
        new HostAndPort(endpoint.host(), endpoint.port()),
        RedisConnection.clientConfig(endpoint, timeout, timeout, timeout, "nodb-doctor"));
  }

  private static String saveRules(Jedis jedis) {
    try {
      Map<String, String> save = jedis.configGet("save");
      return save.getOrDefault("save", "");
    } catch (JedisDataException e) {
      return null;
    }
  }

  private static Duration clockSkew(Jedis jedis) {
    long before = System.currentTimeMillis();
    List<String> time = jedis.time();
    long after = System.currentTimeMillis();
    long serverMicros = Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
    long localMicros = (before + after) * 500L;
    return Duration.ofNanos((serverMicros - localMicros) * 1000);
  }

  private static String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return null;
  }
}
