package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockDomain;
import io.nodb.lock.RedisUrl;
import io.nodb.lock.RunDomain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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
    var builder = LockClient.builder().connectTimeout(TIMEOUT).readTimeout(TIMEOUT);
    try {
      if (redisUrl == null) {
        builder.local(runsRoot);
      } else {
        builder.redis(redisUrl); // parses the URL
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /**
   * Builds the client of the run's own lock domain ({@code <run>/.nodb-domain}), so the CLI never
   * answers "free" from the wrong backend: a run recorded for local files is read there even when a
   * Redis URL is set; a run recorded for Redis needs that Redis deployment (checked by the id the
   * server keeps), reached through {@code --redis}/{@code NODB_REDIS_URL} or, when neither is set,
   * through the recorded endpoint (which has no credentials). A run without a record uses {@link
   * #create}. Nothing is written.
   *
   * @param redisUrl the Redis URL, or null
   * @param run the run
   * @return a client the caller closes
   * @throws CliException exit 3 when the run's domain cannot be reached or is not this Redis
   */
  static LockClient forRun(String redisUrl, RunDir run) {
    Optional<RunDomain> recorded = RunDomain.read(run.lockRun());
    if (recorded.isEmpty()) {
      return create(redisUrl, run.runsRoot());
    }
    LockDomain domain = recorded.get().domain();
    if (domain.backend() == LockDomain.Backend.LOCAL) {
      return create(null, run.runsRoot());
    }
    String url = redisUrl != null ? redisUrl : domain.endpoint();
    LockClient client = create(url, run.runsRoot());
    LockDomain mine;
    try {
      mine = RunDomain.domainOf(client, domain.deployment());
    } catch (RuntimeException e) {
      client.close();
      throw new CliException(
          ExitCode.UNAVAILABLE,
          "run "
              + run.runId()
              + " is locked in "
              + domain.describe()
              + " (recorded "
              + recorded.get().since()
              + " by "
              + recorded.get().by()
              + ")"
              + (redisUrl == null
                  ? ",\nand --redis and NODB_REDIS_URL are not set; the recorded endpoint did not"
                      + " answer:\n"
                  : "; it cannot be reached:\n")
              + e.getMessage()
              + "\nset NODB_REDIS_URL (or --redis) to that Redis, with its credentials");
    }
    if (!mine.sameAs(domain)) {
      client.close();
      throw new CliException(
          ExitCode.UNAVAILABLE,
          "run "
              + run.runId()
              + " is locked in "
              + domain.describe()
              + ",\nbut "
              + RedisUrl.redact(url)
              + " is Redis deployment "
              + mine.deployment().substring(0, 8)
              + "; nothing was read from it\npoint --redis or NODB_REDIS_URL at the run's Redis");
    }
    return client;
  }
}
