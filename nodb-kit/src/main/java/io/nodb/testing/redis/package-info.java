/**
 * Real Redis servers for tests, tools and benchmarks, without JUnit.
 *
 * <p>Entry points: {@link io.nodb.testing.redis.RedisServers#launch()} (a server of one's own),
 * {@link io.nodb.testing.redis.RedisProvisioner} (where servers come from: {@code
 * NODB_TEST_REDIS_URL}, {@code redis-server} on {@code PATH}, Docker), {@link
 * io.nodb.testing.redis.TestRedis} (a server and its controls) and {@link
 * io.nodb.testing.redis.RunIds} (run ids that isolate tests sharing one server). The JUnit
 * extension that hands servers to test methods is {@code io.nodb.testing.junit.RedisExtension} in
 * {@code nodb-tests}.
 */
package io.nodb.testing.redis;
