package io.nodb.testing.junit;

import io.nodb.testing.redis.RedisProvisioner;
import io.nodb.testing.redis.RedisResource;
import io.nodb.testing.redis.RedisUnavailableException;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit Jupiter extension that resolves {@link TestRedis} parameters of test methods,
 * constructors and lifecycle methods with a real Redis server.
 *
 * <p>By default a parameter gets the <em>shared</em> server: one per test run, started lazily at
 * its first use and stopped when the run ends. It comes from {@code NODB_TEST_REDIS_URL} if set,
 * else from {@code redis-server} on {@code PATH} (a free loopback port, no persistence), else from
 * Testcontainers ({@code redis:7-alpine}) when Docker is available. Tests share it, so they isolate
 * their keys by {@link RunIds run id}, and they may not control it.
 *
 * <p>Under {@link DedicatedRedis} the nearest annotated method or class gets a managed server of
 * its own, which the test may stop, pause, resume and restart. Between the tests of an annotated
 * class the extension resumes a paused server (after each test) and starts a stopped one (before
 * the next test). Every process the kit starts is also killed by a JVM shutdown hook, so a crashed
 * run leaves none behind.
 *
 * <p>Register it with {@code @ExtendWith(RedisExtension.class)} or {@code @DedicatedRedis}.
 *
 * <p>Thread-safety: thread-safe; servers live in JUnit stores, which create each at most once.
 * Resolving a parameter throws {@link RedisUnavailableException} if no server can be provided and
 * {@link IllegalStateException} if a server does not start (with its log tail).
 */
public final class RedisExtension
    implements ParameterResolver, BeforeEachCallback, AfterEachCallback {

  private static final Namespace NAMESPACE = Namespace.create(RedisExtension.class);
  private static final String SHARED_KEY = "shared";

  private final RedisProvisioner provisioner;

  /** Creates the extension; JUnit calls this. */
  public RedisExtension() {
    this(RedisProvisioner.fromEnvironment());
  }

  RedisExtension(RedisProvisioner provisioner) {
    this.provisioner = provisioner;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestRedis.class;
  }

  @Override
  public TestRedis resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Optional<ExtensionContext> owner = dedicatedOwner(context);
    if (owner.isPresent()) {
      ExtensionContext scope = owner.get();
      return scope
          .getStore(NAMESPACE)
          .computeIfAbsent(dedicatedKey(scope), key -> provisioner.dedicated(), RedisResource.class)
          .redis();
    }
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(SHARED_KEY, key -> provisioner.shared(), RedisResource.class)
        .redis();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // Only servers of enclosing classes survive into this test; a stopped one comes back here.
    forEachClassServer(
        context,
        redis -> {
          if (!redis.isRunning()) {
            redis.start();
          }
        });
  }

  @Override
  public void afterEach(ExtensionContext context) {
    forEachClassServer(
        context,
        redis -> {
          if (redis.isPaused()) {
            redis.resume();
          }
        });
  }

  private static void forEachClassServer(ExtensionContext context, Consumer<TestRedis> action) {
    for (Optional<ExtensionContext> scope = context.getParent();
        scope.isPresent();
        scope = scope.get().getParent()) {
      ExtensionContext current = scope.get();
      if (isDedicated(current)) {
        Store store = current.getStore(NAMESPACE);
        RedisResource resource = store.get(dedicatedKey(current), RedisResource.class);
        if (resource != null) {
          action.accept(resource.redis());
        }
      }
    }
  }

  /** The nearest context, from this one outwards, whose method or class is annotated. */
  private static Optional<ExtensionContext> dedicatedOwner(ExtensionContext context) {
    for (Optional<ExtensionContext> scope = Optional.of(context);
        scope.isPresent();
        scope = scope.get().getParent()) {
      if (isDedicated(scope.get())) {
        return scope;
      }
    }
    return Optional.empty();
  }

  private static boolean isDedicated(ExtensionContext context) {
    return AnnotationSupport.isAnnotated(context.getElement(), DedicatedRedis.class);
  }

  /** Unique per scope: stores see their parents' entries, so one key would be shared. */
  private static String dedicatedKey(ExtensionContext scope) {
    return "dedicated:" + scope.getUniqueId();
  }
}
