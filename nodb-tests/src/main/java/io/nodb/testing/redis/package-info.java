/**
 * A JUnit Jupiter test kit that gives tests a real Redis server.
 *
 * <p>Entry points: {@link io.nodb.testing.redis.RedisExtension} (resolves {@link
 * io.nodb.testing.redis.TestRedis} parameters), {@link io.nodb.testing.redis.DedicatedRedis} (a
 * controllable server per class or method) and {@link io.nodb.testing.redis.RunIds} (run ids that
 * isolate tests sharing one server).
 */
package io.nodb.testing.redis;
