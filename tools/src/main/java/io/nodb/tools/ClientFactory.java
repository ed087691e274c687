package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds the {@link LockClient} a command talks to: Redis when {@code --redis} or {@code
 * NODB_REDIS_URL} gives a URL, else the local backend under the run directory's parent. Connect and
 * read timeouts are {@link #TIMEOUT}, so an unreachable Redis fails the command promptly with exit
 * code 3. Stateless.
 */
final class ClientFactory {

  /** The connect and read timeout of every backend call the CLI makes. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private ClientFactory() {}

  /**
   * Builds a client.
   *
   * @param redisUrl the Redis URL, or null for the local backend
   * @param runsRoot the local backend's runs root (ignored for Redis)
   * @return a client the caller closes
   * @throws CliException (exit 2) if the Redis URL cannot be parsed
   */
  static LockClient create(String redisUrl, Path runsRoot) {
    var builder = LockClientBuilder.create().connectTimeout(TIMEOUT).readTimeout(TIMEOUT);
    if (redisUrl == null) {
      builder.local(runsRoot);
    } else {
      builder.redis(redisUrl);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }
}
