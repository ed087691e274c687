package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A misconfigured Redis URL gets a precise message and exit code 3 ("backend unavailable"), never 1
 * and never the password: wrong password, unknown user, a database out of range, a user without the
 * ACL permissions nodb needs, an unknown host; a URL without a scheme is a usage error (2) showing
 * the expected form.
 */
@ExtendWith(RedisExtension.class)
class RedisErrorsCliIT {

  private static final String PASSWORD = "s3cret-" + ProcessHandle.current().pid();

  private final TestRedis redis;
  private final String user =
      "nodb-errors-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  private final String weak = user + "-weak";
  @TempDir Path runsRoot;
  private Path run;

  RedisErrorsCliIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void users() throws Exception {
    run = Files.createDirectories(runsRoot.resolve("run-a"));
    try (Jedis admin = redis.connect(Duration.ofSeconds(5))) {
      admin.aclSetUser(user, "on", ">" + PASSWORD, "~*", "&*", "+@all");
      admin.aclSetUser(weak, "on", ">" + PASSWORD, "~*", "+hello", "+auth", "+ping");
    }
  }

  @AfterEach
  void dropUsers() {
    try (Jedis admin = redis.connect(Duration.ofSeconds(5))) {
      admin.aclDelUser(user);
      admin.aclDelUser(weak);
    }
  }

  private String url(String who, String password, String suffix) {
    return "redis://" + who + ":" + password + "@" + redis.host() + ":" + redis.port() + suffix;
  }

  private CliProcess.Result status(String url) {
    return CliProcess.nodb("--redis", url, "status", run.toString());
  }

  @Test
  void theRightPasswordWorks() {
    CliProcess.Result r = status(url(user, PASSWORD, ""));
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  @Test
  void aWrongPasswordSaysAuthenticationFailedForThatUser() {
    CliProcess.Result r = status(url(user, "not-the-password", ""));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stderr())
        .contains("authentication failed for user '" + user + "'")
        .contains("check the user, password and database")
        .doesNotContain("not-the-password");
  }

  @Test
  void anUnknownUserSaysAuthenticationFailed() {
    CliProcess.Result r = status(url("nobody-" + System.nanoTime(), PASSWORD, ""));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stderr()).contains("authentication failed for user 'nobody-");
    assertThat(r.stderr() + r.stdout()).doesNotContain(PASSWORD);
  }

  @Test
  void aDatabaseOutOfRangeSaysSo() {
    CliProcess.Result r = status(url(user, PASSWORD, "/99"));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stderr()).contains("database 99 out of range").doesNotContain(PASSWORD);
  }

  @Test
  void aUserWithoutTheNeededPermissionsSaysWhich() {
    CliProcess.Result r = status(url(weak, PASSWORD, ""));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stderr())
        .contains("user '" + weak + "' lacks an ACL permission nodb needs")
        .doesNotContain(PASSWORD);
  }

  @Test
  void anUnknownHostIsNamed() {
    CliProcess.Result r = status("redis://nosuchhost.invalid:6379");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stderr()).contains("unknown host 'nosuchhost.invalid'");
  }

  @Test
  void aUrlWithoutASchemeShowsTheExpectedForm() {
    CliProcess.Result r = status(user + ":" + PASSWORD + "@" + redis.host() + ":" + redis.port());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("no scheme; expected redis://[user:password@]host[:port][/db]")
        .contains("did you mean 'redis://" + user + ":***@")
        .doesNotContain(PASSWORD);
  }
}
