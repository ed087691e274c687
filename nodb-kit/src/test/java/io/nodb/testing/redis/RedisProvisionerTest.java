package io.nodb.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provisioning decisions that need no server: nothing here starts a process or a container. */
class RedisProvisionerTest {

  @TempDir Path emptyDir;

  @Test
  void withoutAnyWayToGetRedisTheMessageSaysHowToProvideOne() {
    AtomicInteger containerLaunches = new AtomicInteger();
    RedisProvisioner provisioner =
        new RedisProvisioner(
            Map.of("PATH", emptyDir.toString()),
            () -> false,
            () -> {
              containerLaunches.incrementAndGet();
              throw new AssertionError("no container may be launched without Docker");
            });

    assertThatThrownBy(provisioner::shared)
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("install redis-server")
        .hasMessageContaining("NODB_TEST_REDIS_URL=redis://host:port")
        .hasMessageContaining("start Docker");
    assertThatThrownBy(provisioner::dedicated)
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("@DedicatedRedis");
    assertThat(containerLaunches).hasValue(0);
  }

  @Test
  void urlVariableGivesAnUnmanagedSharedServerWithoutStartingAnything() {
    RedisProvisioner provisioner =
        new RedisProvisioner(
            Map.of("NODB_TEST_REDIS_URL", "redis://:secret@redis.example:6380/2"),
            () -> {
              throw new AssertionError("Docker must not be consulted when the URL is set");
            },
            () -> {
              throw new AssertionError("no container may be launched when the URL is set");
            });

    TestRedis redis = provisioner.shared().redis();

    assertThat(redis.isManaged()).isFalse();
    assertThat(redis.host()).isEqualTo("redis.example");
    assertThat(redis.port()).isEqualTo(6380);
    assertThat(redis.url()).isEqualTo("redis://:secret@redis.example:6380/2");
    assertThatThrownBy(redis::stop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("NODB_TEST_REDIS_URL")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(redis::pause).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(redis::pid).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void malformedUrlVariableIsRejectedWithTheVariableNamed() {
    RedisProvisioner provisioner =
        new RedisProvisioner(
            Map.of("NODB_TEST_REDIS_URL", "http://nowhere"),
            () -> false,
            () -> {
              throw new AssertionError("no container expected");
            });

    assertThatThrownBy(provisioner::shared)
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("NODB_TEST_REDIS_URL");
  }

  @Test
  void aMalformedUrlVariableIsRejectedWithoutItsPassword() {
    for (String url : new String[] {"redis://:pa ss@h:1", "redis://:pa%zz@h", "redis://:pa@ss@h"}) {
      RedisProvisioner provisioner =
          new RedisProvisioner(
              Map.of("NODB_TEST_REDIS_URL", url),
              () -> false,
              () -> {
                throw new AssertionError("no container expected");
              });

      assertThatThrownBy(provisioner::shared)
          .isInstanceOf(RedisUnavailableException.class)
          .hasMessageContaining("NODB_TEST_REDIS_URL")
          .hasMessageNotContaining("pa ss")
          .hasMessageNotContaining("pa%zz")
          .hasMessageNotContaining("pa@ss")
          .hasNoCause();
    }
  }

  @Test
  void dedicatedServerFallsBackToTheContainerWhenDockerIsAvailable() {
    ManagedServer fake = new RecordingServer();
    RedisProvisioner provisioner =
        new RedisProvisioner(Map.of("PATH", emptyDir.toString()), () -> true, () -> fake);

    RedisResource resource = provisioner.dedicated();

    assertThat(resource.redis().isManaged()).isTrue();
    assertThat(resource.redis().port()).isEqualTo(fake.port());
  }

  @Test
  void onlyAnExecutableFileOnPathCounts() throws IOException {
    Path notExecutable = Files.createDirectory(emptyDir.resolve("a")).resolve("redis-server");
    Files.writeString(notExecutable, "");
    Path binDir = Files.createDirectory(emptyDir.resolve("b"));
    Path executable = binDir.resolve("redis-server");
    Files.writeString(executable, "");
    Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));
    String path = notExecutable.getParent() + java.io.File.pathSeparator + binDir;

    assertThat(RedisProvisioner.onPath(path, "redis-server")).contains(executable);
    assertThat(RedisProvisioner.onPath(notExecutable.getParent().toString(), "redis-server"))
        .isEmpty();
    assertThat(RedisProvisioner.onPath(null, "redis-server")).isEmpty();
  }

  /** A stand-in for a container server; only its address is used. */
  private static final class RecordingServer implements ManagedServer {
    @Override
    public String host() {
      return "127.0.0.1";
    }

    @Override
    public int port() {
      return 1;
    }

    @Override
    public long pid() {
      throw new IllegalStateException("no pid");
    }

    @Override
    public boolean isRunning() {
      return true;
    }

    @Override
    public boolean isPaused() {
      return false;
    }

    @Override
    public void start() {
      throw new IllegalStateException("not expected");
    }

    @Override
    public void stop() {
      throw new IllegalStateException("not expected");
    }

    @Override
    public void pause() {
      throw new IllegalStateException("not expected");
    }

    @Override
    public void resume() {
      throw new IllegalStateException("not expected");
    }

    @Override
    public void close() {}
  }
}
