package io.nodb.bench;

import java.util.List;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * The hand-written token lock: {@code SET key token NX PX 30000}, then {@code EVALSHA} of the
 * standard compare-and-delete script. Two round trips, no fence, no renewal, no waiting.
 */
final class JedisPairOp implements PairOp {

  private static final String COMPARE_AND_DELETE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end"
          + " return 0";

  private final RedisClient client;
  private final String key;
  private final String sha;
  private final String tokenPrefix = Long.toHexString(System.nanoTime()) + "-";
  private long counter;

  JedisPairOp(String url, String key) {
    this.client = Clients.jedis(url);
    this.key = key;
    this.sha = client.scriptLoad(COMPARE_AND_DELETE);
  }

  @Override
  public String label() {
    return "raw Jedis SET NX PX + EVALSHA del";
  }

  @Override
  public void run() {
    String token = tokenPrefix + (++counter);
    if (!"OK".equals(client.set(key, token, SetParams.setParams().nx().px(30_000)))) {
      throw new IllegalStateException("raw Jedis lock " + key + " was not free");
    }
    Object deleted = client.evalsha(sha, List.of(key), List.of(token));
    if (!Long.valueOf(1).equals(deleted)) {
      throw new IllegalStateException("raw Jedis release of " + key + " returned " + deleted);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
