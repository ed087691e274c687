package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockDomain;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.internal.RunDomainFile;
import io.nodb.store.NoDbStore;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The admin tool never answers from the wrong backend, and unlock does what was confirmed, end to
 * end with the CLI as a separate process: a run recorded for Redis is read from that Redis even
 * without {@code NODB_REDIS_URL} (or refused clearly when it cannot be reached or is another
 * deployment); a run recorded for local files is read there even with a Redis URL; unlock evicts
 * exactly the holder shown or refuses with the new one; a mistyped name is not found with a
 * suggestion; confirmation depends on stdin only.
 */
@ExtendWith(RedisExtension.class)
class OperatorTruthCliIT {

  private final TestRedis redis;
  @TempDir Path runsRoot;
  private LockClient redisClient;
  private LockClient localClient;

  OperatorTruthCliIT(TestRedis redis) {
    this.redis = redis;
  }

  @AfterEach
  void close() {
    if (redisClient != null) {
      redisClient.close();
    }
    if (localClient != null) {
      localClient.close();
    }
  }

  /** A run created through the store on Redis (so recorded for it), its counter lock held. */
  private LockHandle redisRunHeld(String name) {
    redisClient = LockClient.builder().redis(redis.url()).releaseOnShutdown(false).build();
    Path run = runsRoot.resolve(name);
    try (NoDbStore store = NoDbStore.builder().lockClient(redisClient).build()) {
      store.create(Counter.class, run, s -> {});
    }
    return redisClient.tryAcquire(LockKey.of(name, "counter.nodb")).orElseThrow();
  }

  private LockHandle localRunHeld(String name) {
    localClient = LockClient.builder().local(runsRoot).releaseOnShutdown(false).build();
    Path run = runsRoot.resolve(name);
    try (NoDbStore store = NoDbStore.builder().lockClient(localClient).build()) {
      store.create(Counter.class, run, s -> {});
    }
    return localClient.tryAcquire(LockKey.of(name, "counter.nodb")).orElseThrow();
  }

  private String deployment() {
    try (Jedis j = redis.connect(Duration.ofSeconds(5))) {
      return j.get("nodb-domain");
    }
  }

  @Test
  void withoutTheRedisUrlStatusReadsTheRecordedRedisAndShowsTheRealHolder() {
    LockHandle held = redisRunHeld("run-redis");

    CliProcess.Result r = CliProcess.nodb("status", runsRoot.resolve("run-redis").toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout())
        .contains("domain   Redis deployment " + deployment().substring(0, 8))
        .containsPattern("counter\\.nodb\\s+held");
    assertThat(r.stdout()).doesNotContainPattern("counter\\.nodb\\s+free");
    assertThat(held.isValid()).isTrue();
  }

  @Test
  void aRecordedRedisThatCannotBeReachedFailsClearlyInsteadOfSayingFree() throws Exception {
    Path run = Files.createDirectories(runsRoot.resolve("run-gone"));
    RunDomainFile.recordIfAbsent(
        run,
        LockDomain.redis(
            deployment() == null ? "0".repeat(32) : deployment(), "redis://127.0.0.1:1"),
        "h:1");

    CliProcess.Result r = CliProcess.nodb("status", run.toString());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stderr())
        .contains("run run-gone is locked in Redis deployment")
        .contains("--redis and NODB_REDIS_URL are not set")
        .contains("set NODB_REDIS_URL");
    assertThat(r.stdout()).doesNotContain("free");
  }

  @Test
  void anotherRedisDeploymentIsRefused() throws Exception {
    redisRunHeld("run-mine").release();
    Path run = Files.createDirectories(runsRoot.resolve("run-theirs"));
    RunDomainFile.recordIfAbsent(
        run, LockDomain.redis("f".repeat(32), "redis://cache.internal:6379"), "h:1");

    CliProcess.Result r = CliProcess.nodb("--redis", redis.url(), "status", run.toString());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stderr())
        .contains("is locked in Redis deployment ffffffff (redis://cache.internal:6379)")
        .contains("point --redis or NODB_REDIS_URL at the run's Redis");
  }

  @Test
  void aLocalRunIsReadFromItsLockFilesEvenWithARedisUrl() {
    LockHandle held = localRunHeld("run-local");

    CliProcess.Result r =
        CliProcess.nodb("--redis", redis.url(), "status", runsRoot.resolve("run-local").toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout())
        .contains("domain   local lock files")
        .containsPattern("counter\\.nodb\\s+held");
    assertThat(held.isValid()).isTrue();
  }

  @Test
  void unlockEvictsExactlyTheHolderExpectedOrShowsTheNewOne() {
    LockHandle held = redisRunHeld("run-cas");
    String run = runsRoot.resolve("run-cas").toString();

    CliProcess.Result wrong =
        CliProcess.nodb("unlock", run, "counter.nodb", "--expect", "00000000", "--yes");
    assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(1);
    assertThat(wrong.stderr())
        .contains("the holder of counter.nodb changed (expected token 00000000)")
        .contains("nothing was forced")
        .contains("token " + held.tokenDigest());
    assertThat(held.isValid()).isTrue();

    CliProcess.Result right =
        CliProcess.nodb(
            "unlock", run, "counter.nodb", "--expect", held.tokenDigest(), "--yes", "--json");
    assertThat(right.exitCode()).as(right.toString()).isZero();
    assertThat(right.json().path("outcome").asText()).isEqualTo("forced");
    assertThat(right.json().path("previousOwner").path("tokenDigest").asText())
        .isEqualTo(held.tokenDigest());
  }

  @Test
  void aMistypedNameIsNotFoundWithWhatItMayHaveMeant() {
    redisRunHeld("run-typo");
    String run = runsRoot.resolve("run-typo").toString();

    CliProcess.Result r = CliProcess.nodb("unlock", run, "countr.nodb", "--yes");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    assertThat(r.stderr())
        .contains("no controller file or lock named 'countr.nodb' in run run-typo")
        .contains("did you mean 'counter.nodb'?");
  }

  @Test
  void confirmationDependsOnStdinBeingATerminalOnly() throws Exception {
    LockHandle held = redisRunHeld("run-ask");
    String run = runsRoot.resolve("run-ask").toString();

    // stdin a pipe: refused whatever stdout is
    CliProcess.Result piped = CliProcess.nodb("unlock", run, "counter.nodb");
    assertThat(piped.exitCode()).as(piped.toString()).isEqualTo(2);
    assertThat(piped.stderr()).contains("stdin is not a terminal; pass --yes to confirm");

    // stdin a terminal, stdout a file: the question is asked (on stderr); no answer, no force
    Path out = runsRoot.resolve("unlock.out");
    String command =
        CliProcess.javaCommand(NodbCli.class.getName(), "unlock", run, "counter.nodb").stream()
                .map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "))
            + " > '"
            + out
            + "'";
    CliProcess.Result asked =
        CliProcess.exec(Map.of(), List.of("script", "-qec", command, "/dev/null"));
    assertThat(asked.stdout())
        .as(asked.toString())
        .contains("Force-unlock counter.nodb of run run-ask");
    assertThat(asked.stdout()).contains("not confirmed; nothing changed");
    assertThat(Files.readString(out)).contains("current owner:");
    assertThat(held.isValid()).isTrue();
  }

  @Test
  void movingARunToAnotherDomainIsExplicitAuditedAndNeedsItsLocksFree() {
    LockHandle held = localRunHeld("run-move");
    String run = runsRoot.resolve("run-move").toString();

    CliProcess.Result shown = CliProcess.nodb("domain", run);
    assertThat(shown.exitCode()).as(shown.toString()).isZero();
    assertThat(shown.stdout()).contains("domain   local lock files");

    CliProcess.Result busy =
        CliProcess.nodb("--redis", redis.url(), "domain", run, "--move-to", "redis", "--yes");
    assertThat(busy.exitCode()).as(busy.toString()).isEqualTo(1);
    assertThat(busy.stderr()).contains("1 lock(s) of run run-move are held in local lock files");

    held.release();
    CliProcess.Result moved =
        CliProcess.nodb(
            "--redis",
            redis.url(),
            "domain",
            run,
            "--move-to",
            "redis",
            "--yes",
            "--reason",
            "to the shared Redis");
    assertThat(moved.exitCode()).as(moved.toString()).isZero();
    assertThat(moved.stdout())
        .contains("domain   Redis deployment " + deployment().substring(0, 8))
        .contains("moved    from local lock files by ")
        .contains(": to the shared Redis");

    // the local backend now refuses the run; the CLI without a URL reads it from Redis
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> localClient.tryAcquire(LockKey.of("run-move", "counter.nodb"))))
        .isInstanceOf(io.nodb.lock.LockDomainException.class);
    CliProcess.Result status = CliProcess.nodb("status", run);
    assertThat(status.stdout()).contains("backend  redis://");
  }

  @Test
  void theLocalFleetViewNamesRunsLockedInRedisInsteadOfCountingThemFree() {
    redisRunHeld("run-fleet-redis");

    CliProcess.Result r = CliProcess.nodb("locks", runsRoot.toString());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.stderr())
        .contains("1 run(s) under " + runsRoot + " are locked in Redis")
        .contains("run-fleet-redis")
        .contains("set NODB_REDIS_URL");
    CliProcess.Result onRedis = CliProcess.nodb("--redis", redis.url(), "locks");
    assertThat(onRedis.stdout()).contains("run-fleet-redis");
  }
}
