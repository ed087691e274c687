/**
 * The JUnit Jupiter side of the kit: {@link io.nodb.testing.junit.RedisExtension} resolves {@link
 * io.nodb.testing.redis.TestRedis} parameters with a real server, and {@link
 * io.nodb.testing.junit.DedicatedRedis} gives a class or method a server of its own that it may
 * stop and pause. The servers themselves come from the JUnit-free {@code nodb-kit} ({@link
 * io.nodb.testing.redis.RedisProvisioner}).
 */
package io.nodb.testing.junit;
