package io.nodb.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.RedisClient;

/**
 * Diagnostic: nodb's own acquire and release Lua scripts (read from nodb-lock-redis's resources)
 * sent straight through Jedis with nodb's key layout, without the nodb client around them. The
 * difference to {@link NodbPairOp} is the client's cost; the difference to {@link JedisPairOp} is
 * the cost of the richer scripts (fence, run index, wake-up signal).
 *
 * <p>The key names mirror {@code RedisKeys} in nodb-lock-redis; this class is for measurement only.
 */
final class NodbScriptsOp implements PairOp {

  private static final String SCRIPTS = "/io/nodb/lock/internal/redis/";

  private final RedisClient client;
  private final String acquireSha;
  private final String releaseSha;
  private final List<String> acquireKeys;
  private final List<String> releaseKeys;
  private final String name;
  private final String ownerTail = System.currentTimeMillis() + "|30000|bench-host|1|main";
  private long counter;

  NodbScriptsOp(String url, String runId, String name) {
    this.client = Clients.jedis(url);
    this.name = name;
    this.acquireSha = client.scriptLoad(script("acquire"));
    this.releaseSha = client.scriptLoad(script("release"));
    this.acquireKeys =
        List.of(
            "nodb-lock:{" + runId + "}:" + name,
            "nodb-fence:{" + runId + "}",
            "nodb-run:{" + runId + "}",
            "nodb-fence:{" + runId + "}:" + name,
            "nodb-wait:{" + runId + "}:" + name);
    this.releaseKeys =
        List.of(
            "nodb-lock:{" + runId + "}:" + name,
            "nodb-signal:{" + runId + "}:" + name,
            "nodb-evicted:{" + runId + "}",
            "nodb-run:{" + runId + "}",
            "nodb-wait:{" + runId + "}:" + name);
  }

  private static String script(String name) {
    try (InputStream in = NodbScriptsOp.class.getResourceAsStream(SCRIPTS + name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException(
            "nodb-lock-redis script " + name + ".lua not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String label() {
    return "diag: nodb's 2 Lua scripts via raw Jedis";
  }

  @Override
  public void run() {
    String token = "bench-token-" + (++counter);
    List<?> acquired =
        (List<?>)
            client.evalsha(
                acquireSha,
                acquireKeys,
                List.of(token, ownerTail, "30000", name, "9007199254740991", "0"));
    if (!Long.valueOf(1).equals(acquired.get(0))) {
      throw new IllegalStateException("nodb acquire script found the lock held: " + acquired);
    }
    Object released = client.evalsha(releaseSha, releaseKeys, List.of(token, "60000", name));
    if (!"OWNED".equals(released)) {
      throw new IllegalStateException("nodb release script returned " + released);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
