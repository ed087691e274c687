/**
 * nodb's lock client: the API ({@code io.nodb.lock}, with the root exceptions in {@code io.nodb}),
 * the client and the local (file) backend. Redis locks come from {@code io.nodb.lock.redis}, found
 * at run time as a {@link io.nodb.lock.internal.RedisSupport} service; this module does not read
 * Jedis. The internal package is exported only to nodb's own modules.
 */
module io.nodb.lock {
  requires transitive org.jspecify; // @NullMarked/@Nullable are part of the API's types
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static micrometer.core; // optional: MeterRegistry in the API is for those who have it

  exports io.nodb;
  exports io.nodb.lock;
  exports io.nodb.lock.internal to
      io.nodb.lock.redis,
      io.nodb.store,
      io.nodb.recipes,
      io.nodb.kit, // RedisUrls for its messages, LockHandles for its probes
      io.nodb.testing;

  uses io.nodb.lock.internal.RedisSupport;
}
