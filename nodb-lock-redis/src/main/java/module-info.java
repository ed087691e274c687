/**
 * The Redis backend of nodb's locks, and the Redis access of the store's cache and the recipes'
 * value stores: the one module that reads Jedis. It exports no API; it provides {@link
 * io.nodb.lock.internal.RedisSupport}, so putting it on the path is all it takes.
 */
module io.nodb.lock.redis {
  requires io.nodb.lock;
  requires org.apache.commons.pool2;
  requires org.slf4j;
  requires redis.clients.jedis;

  provides io.nodb.lock.internal.RedisSupport with
      io.nodb.lock.internal.redis.RedisSupportProvider;
}
