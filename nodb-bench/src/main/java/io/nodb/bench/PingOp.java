package io.nodb.bench;

import redis.clients.jedis.RedisClient;

/** A PING through a pooled Jedis client: one round trip, the floor for everything else. */
final class PingOp implements PairOp {

  private final RedisClient client;

  PingOp(String url) {
    this.client = Clients.jedis(url);
  }

  @Override
  public String label() {
    return "PING (1 round trip)";
  }

  @Override
  public void run() {
    if (!"PONG".equals(client.ping())) {
      throw new IllegalStateException("PING did not answer PONG");
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
