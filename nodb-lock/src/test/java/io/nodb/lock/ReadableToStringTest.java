package io.nodb.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.internal.LockHandles;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handles, keys, infos, options and clients print something a person can read in a log or a
 * debugger, and never the token (whoever knows it can release the lock).
 */
class ReadableToStringTest {

  @TempDir Path runsRoot;

  @Test
  void handlesInfosAndClientsPrintWhatTheyAreButNeverTheToken() {
    LockKey key = LockKey.of("run-42", "climate.nodb");
    try (LockClient locks = LockClient.builder().local(runsRoot).build()) {
      assertThat(locks.toString()).startsWith("LockClient[local:").doesNotContain("@");
      LockHandle handle = locks.tryAcquire(key).orElseThrow();
      try {
        String text = handle.toString();
        assertThat(text)
            .isEqualTo(
                "LockHandle[run-42/climate.nodb fence "
                    + handle.fence()
                    + " token "
                    + handle.tokenDigest()
                    + " valid]")
            .doesNotContain(LockHandles.token(handle));
        LockInfo info = locks.admin().locks("run-42").get(0);
        assertThat(info.toString())
            .startsWith("LockInfo[run-42/climate.nodb held by ")
            .contains("token " + handle.tokenDigest())
            .doesNotContain(LockHandles.token(handle));
      } finally {
        assertThat(handle.release()).isEqualTo(ReleaseOutcome.RELEASED);
      }
      assertThat(handle.toString())
          .endsWith(" released]")
          .doesNotContain(LockHandles.token(handle));
    }
    assertThat(key.toString()).isEqualTo("run-42/climate.nodb");
    assertThat(new LockOptions(Duration.ofSeconds(30), true, null).toString())
        .isEqualTo("LockOptions[lease=PT30S, autoRenew=true, lossListener=none]");
  }
}
