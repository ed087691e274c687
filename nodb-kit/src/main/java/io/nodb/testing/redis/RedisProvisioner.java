package io.nodb.testing.redis;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.testcontainers.DockerClientFactory;

/**
 * Decides where a test's Redis server comes from. The shared server: {@code NODB_TEST_REDIS_URL} if
 * set, else a managed server. A managed server: {@code redis-server} on {@code PATH}, else a
 * Testcontainers container when Docker is available, else {@link RedisUnavailableException}. The
 * JUnit extension of {@code nodb-tests} ({@code io.nodb.testing.junit.RedisExtension}) and {@link
 * RedisServers} provision through it.
 *
 * <p>Thread-safe: immutable (the environment is read once, when created).
 */
public final class RedisProvisioner {

  /** The environment variable naming a running server to share instead of starting one. */
  public static final String URL_VARIABLE = "NODB_TEST_REDIS_URL";

  static final String BINARY = "redis-server";

  private final Map<String, String> environment;
  private final BooleanSupplier dockerAvailable;
  private final Supplier<ManagedServer> containerLauncher;

  RedisProvisioner(
      Map<String, String> environment,
      BooleanSupplier dockerAvailable,
      Supplier<ManagedServer> containerLauncher) {
    this.environment = Map.copyOf(environment);
    this.dockerAvailable = dockerAvailable;
    this.containerLauncher = containerLauncher;
  }

  /**
   * Returns the provisioner of this process's environment ({@code NODB_TEST_REDIS_URL}, {@code
   * PATH}, Docker).
   *
   * @return the provisioner
   */
  public static RedisProvisioner fromEnvironment() {
    return new RedisProvisioner(
        System.getenv(),
        () -> DockerClientFactory.instance().isDockerAvailable(),
        RedisContainerServer::launch);
  }

  /**
   * Returns the server every test without {@code @DedicatedRedis} shares; tests may not control it.
   * The caller closes the resource when the test run ends (it stops the server if the kit started
   * it).
   *
   * @return the server and what shuts it down
   * @throws RedisUnavailableException if no server can be provided
   * @throws IllegalStateException if a started server does not answer in time
   */
  public RedisResource shared() {
    String url = environment.get(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      RedisAddress address;
      try {
        address = RedisAddress.parse(url);
      } catch (IllegalArgumentException e) {
        throw new RedisUnavailableException(
            URL_VARIABLE + " must be a redis://host:port URL; " + e.getMessage());
      }
      String reason = "it was given by " + URL_VARIABLE + " and the kit did not start it";
      return new RedisResource(new UnmanagedTestRedis(address, reason), () -> {});
    }
    ManagedServer server = launchManaged("the shared Redis server");
    String reason = "it is the shared server of every test in this JVM";
    TestRedis view = new UnmanagedTestRedis(RedisAddress.of(server.host(), server.port()), reason);
    return new RedisResource(view, server::close);
  }

  /**
   * Returns a server of one's own that the test may stop, pause and restart.
   *
   * @return the server and what shuts it down
   * @throws RedisUnavailableException if no server can be started
   * @throws IllegalStateException if the server does not answer in time
   */
  public RedisResource dedicated() {
    ManagedTestRedis redis = new ManagedTestRedis(launchManaged("a @DedicatedRedis server"));
    return new RedisResource(redis, redis::close);
  }

  /** A server of one's own outside JUnit ({@link RedisServers#launch()}). */
  OwnedRedis owned() {
    return new ManagedTestRedis(launchManaged("a server of one's own"));
  }

  private ManagedServer launchManaged(String purpose) {
    Optional<Path> binary = onPath(environment.get("PATH"), BINARY);
    if (binary.isPresent()) {
      return RedisServerProcess.launch(binary.get());
    }
    if (dockerAvailable.getAsBoolean()) {
      return containerLauncher.get();
    }
    throw new RedisUnavailableException(
        "No Redis server for "
            + purpose
            + ": no '"
            + BINARY
            + "' on PATH and Docker is not available. Provide one of: (1) install redis-server"
            + " so it is on PATH (e.g. 'apt-get install redis-server' or 'brew install redis');"
            + " (2) set "
            + URL_VARIABLE
            + "=redis://host:port to use a running server (shared server only:"
            + " @DedicatedRedis tests need a server the kit starts itself);"
            + " (3) start Docker so Testcontainers can run redis:7-alpine.");
  }

  static Optional<Path> onPath(String pathVariable, String name) {
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String entry : pathVariable.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        Path candidate = Path.of(entry, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
