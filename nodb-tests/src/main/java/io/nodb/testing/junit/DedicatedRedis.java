package io.nodb.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asks {@link RedisExtension} for a managed Redis server of one's own instead of the shared one.
 *
 * <p>On a test class, the class (and its {@code @Nested} classes) gets one server, started at its
 * first use and stopped after the class; before each later test of the class a stopped server is
 * started again, and after each test a paused server is resumed, so one failing fault test cannot
 * break the next. On a test method, that method gets its own server, stopped after the method.
 *
 * <p>A dedicated server is always managed: a {@code redis-server} found on {@code PATH}, else a
 * Testcontainers container; {@code NODB_TEST_REDIS_URL} is ignored for it, since fault tests must
 * be able to stop and pause it. The annotation registers {@link RedisExtension} itself.
 *
 * <p>Thread-safety: an annotation; immutable.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RedisExtension.class)
public @interface DedicatedRedis {}
