package io.nodb.lock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token and the fence lift are the library's, not on the public handle (issue 15). */
class LockHandlesTest {

  @TempDir Path runsRoot;

  @Test
  void thePublicHandleOffersNeitherTheTokenNorTheLift() {
    assertThat(Arrays.stream(LockHandle.class.getMethods()).map(Method::getName))
        .doesNotContain("token", "liftFence")
        .contains("tokenDigest", "fence");
  }

  @Test
  void theLibraryReachesTheTokenAndTheLiftOfItsOwnHandles() {
    try (LockClient client =
        LockClient.builder().local(runsRoot).releaseOnShutdown(false).build()) {
      LockHandle h =
          client.acquire(LockKey.of("run", "a.nodb"), Duration.ofSeconds(30), Duration.ZERO);
      assertThat(TokenDigest.of(LockHandles.token(h))).isEqualTo(h.tokenDigest());
      assertThat(LockHandles.liftFence(h, 41)).isEqualTo(42);
      assertThat(h.fence()).isEqualTo(42);
      assertThat(LockHandles.liftFence(h, 10)).as("already above").isEqualTo(42);
      h.release();
    }
  }

  @Test
  void aForeignHandleIsRefusedNamingItsClass() {
    LockHandle foreign =
        (LockHandle)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {LockHandle.class},
                (proxy, method, args) -> method.getName().equals("toString") ? "foreign" : null);
    assertThatThrownBy(() -> LockHandles.liftFence(foreign, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a handle of nodb's lock client");
    assertThatThrownBy(() -> LockHandles.token(foreign))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
