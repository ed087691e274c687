package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet view ({@code nodb locks}, {@code nodb status <runs-root>}) end to end: 1,000 runs whose
 * locks a holder JVM holds plus three stuck holders (processes that halted holding a lock), on a
 * Redis of its own and on local files, the CLI as a separate process. Also the recipe namespaces
 * ({@code job:<ns>}) with a real {@code ExclusiveJobs} holder.
 */
@ExtendWith(RedisExtension.class)
@DedicatedRedis
class FleetCliIT {

  private static final int RUNS = 1000;
  private static final int STUCK = 3;

  private final TestRedis redis;
  private final List<Process> holders = new ArrayList<>();

  @TempDir Path runsRoot;

  FleetCliIT(TestRedis redis) {
    this.redis = redis;
  }

  @AfterEach
  void stopHolders() throws Exception {
    for (Process p : holders) {
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("a holder did not exit after its stdin closed");
      }
    }
  }

  @Test
  void redisListsEveryHeldLockOfAThousandRunsOldestFirstAndFlagsTheStuckOnes() throws Exception {
    fleet(redis.url(), "rf");
    checkFleet(List.of("--redis", redis.url(), "locks"), "rf", null);
    // status without a run, and status of a runs root, show the same on Redis
    checkFleet(List.of("--redis", redis.url(), "status"), "rf", null);
  }

  @Test
  void localFilesListEveryHeldLockOfAThousandRunsOldestFirstAndFlagsTheStuckOnes()
      throws Exception {
    fleet(runsRoot.toString(), "lf");
    checkFleet(List.of("locks", runsRoot.toString()), "lf", runsRoot);
    checkFleet(List.of("status", runsRoot.toString()), "lf", runsRoot);
  }

  @Test
  void aLimitStopsTheListingAndSaysSo() throws Exception {
    fleet(runsRoot.toString(), "lim");
    CliProcess.Result r = CliProcess.nodb("locks", runsRoot.toString(), "--limit", "10", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.json().path("complete").asBoolean()).isFalse();
    assertThat(r.json().path("runsRead").asInt()).isEqualTo(10);
    CliProcess.Result text = CliProcess.nodb("locks", runsRoot.toString(), "--limit", "10");
    assertThat(text.stdout()).contains("stopped at --limit 10 runs");
  }

  @Test
  void heldLongerThanStuckAfterIsFlaggedAndBadDurationsAreUsageErrors() throws Exception {
    fleet(runsRoot.toString(), "sa");
    CliProcess.Result r =
        CliProcess.nodb("locks", runsRoot.toString(), "--stuck-after", "1ms", "--json");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode locks = r.json().path("locks");
    assertThat(locks.size()).isEqualTo(RUNS + STUCK);
    for (JsonNode l : locks) {
      assertThat(l.path("stuck").asBoolean()).as(l.toString()).isTrue();
    }
    assertThat(r.json().path("summary").path("stuck").asInt()).isEqualTo(RUNS + STUCK);
    for (String bad : List.of("0s", "-1h", "soon", "1y")) {
      CliProcess.Result u = CliProcess.nodb("locks", runsRoot.toString(), "--stuck-after", bad);
      assertThat(u.exitCode()).as(u.toString()).isEqualTo(ExitCode.USAGE);
      assertThat(u.stderr()).contains("--stuck-after must be a positive duration");
    }
    CliProcess.Result missing = CliProcess.nodb("locks", runsRoot.resolve("nope").toString());
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.NOT_FOUND);
    CliProcess.Result noRoot = CliProcess.nodb("status");
    assertThat(noRoot.exitCode()).as(noRoot.toString()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aProgramsOwnNamespaceIsListedByTheFleetViewOnBothBackends() {
    io.nodb.lock.LockNamespace app =
        io.nodb.lock.LockNamespace.of("app", io.nodb.testing.redis.RunIds.unique("billing"));
    io.nodb.lock.LockKey ledger = io.nodb.lock.LockKey.of(app, "ledger");
    // long: no renewal runs before the CLI evicts them, so each loss is learned at release
    java.time.Duration lease = java.time.Duration.ofMinutes(10);
    try (io.nodb.lock.LockClient onRedis =
            io.nodb.lock.LockClient.builder().redis(redis.url()).build();
        io.nodb.lock.LockClient onFiles =
            io.nodb.lock.LockClient.builder().local(runsRoot).build();
        io.nodb.lock.LockHandle r = onRedis.acquire(ledger, lease, java.time.Duration.ZERO);
        io.nodb.lock.LockHandle l = onFiles.acquire(ledger, lease, java.time.Duration.ZERO)) {
      CliProcess.Result viaRedis = CliProcess.nodb("--redis", redis.url(), "locks", "--json");
      assertThat(viaRedis.exitCode()).as(viaRedis.toString()).isZero();
      assertThat(viaRedis.json().path("locks").findValuesAsText("runId")).contains(app.tag());
      CliProcess.Result viaFiles = CliProcess.nodb("locks", runsRoot.toString(), "--json");
      assertThat(viaFiles.exitCode()).as(viaFiles.toString()).isZero();
      assertThat(viaFiles.json().path("locks").findValuesAsText("runId"))
          .containsExactly(app.tag());
      assertThat(viaFiles.json().path("locks").findValuesAsText("name")).containsExactly("ledger");

      // the namespace is addressed by its tag on Redis, by its directory on local files
      Map<String, String> env = Map.of("NODB_REDIS_URL", redis.url());
      CliProcess.Result status = CliProcess.nodb(env, "status", app.tag(), "--json");
      assertThat(status.exitCode()).as(status.toString()).isZero();
      assertThat(status.json().path("runId").asText()).isEqualTo(app.tag());
      assertThat(status.json().path("controllers").get(0).path("name").asText())
          .isEqualTo("ledger");
      assertThat(status.json().path("controllers").get(0).path("lock").asText()).isEqualTo("held");
      CliProcess.Result unlock =
          CliProcess.nodb(
              env, "unlock", app.tag(), "ledger", "--force", "--yes", "--reason", "stuck");
      assertThat(unlock.exitCode()).as(unlock.toString()).isZero();
      assertThat(unlock.stdout()).contains("force-unlocked ledger of run " + app.tag());
      CliProcess.Result audit = CliProcess.nodb(env, "audit", app.tag(), "--json");
      assertThat(audit.json().path("entries").get(0).path("reason").asText()).isEqualTo("stuck");
      CliProcess.Result clear = CliProcess.nodb(env, "clear-locks", app.tag(), "--yes");
      assertThat(clear.exitCode()).as(clear.toString()).isZero();
      assertThat(clear.stdout()).contains("no locks held in run " + app.tag());

      String dir = runsRoot.resolve(app.tag()).toString();
      CliProcess.Result local = CliProcess.nodb("status", dir, "--json");
      assertThat(local.exitCode()).as(local.toString()).isZero();
      assertThat(local.json().path("controllers").get(0).path("lock").asText()).isEqualTo("held");
      CliProcess.Result cleared = CliProcess.nodb("clear-locks", dir, "--yes", "--reason", "x");
      assertThat(cleared.exitCode()).as(cleared.toString()).isZero();
      assertThat(cleared.stdout()).contains("cleared 1 lock(s) of run " + app.tag());
      CliProcess.Result bare = CliProcess.nodb("status", app.tag());
      assertThat(bare.exitCode()).as("a bare tag on local files").isEqualTo(ExitCode.NOT_FOUND);

      // their WARNs are not logged here: the CLI's simplelogger.properties has io.nodb.lock at
      // ERROR
      assertThat(r.release()).isEqualTo(io.nodb.lock.ReleaseOutcome.NOT_OWNER);
      assertThat(l.release()).isEqualTo(io.nodb.lock.ReleaseOutcome.NOT_OWNER);
    }
  }

  @Test
  void aRecipeNamespaceIsListedInspectedAuditedAndForceUnlockedOnRedis() throws Exception {
    Process job =
        start(
            Map.of(),
            JobHolder.class.getName(),
            "running",
            redis.url(),
            "billing",
            "invoices/2026-11");
    Map<String, String> env = Map.of("NODB_REDIS_URL", redis.url());
    CliProcess.Result status = CliProcess.nodb(env, "status", "job:billing", "--json");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    JsonNode doc = status.json();
    assertThat(doc.path("runId").asText()).isEqualTo("job:billing");
    assertThat(doc.path("namespace").asBoolean()).isTrue();
    assertThat(doc.path("controllers").get(0).path("name").asText()).isEqualTo("invoices/2026-11");
    assertThat(doc.path("controllers").get(0).path("lock").asText()).isEqualTo("held");
    assertThat(doc.path("controllers").get(0).path("owner").path("pid").asLong())
        .isEqualTo(job.pid());
    CliProcess.Result text = CliProcess.nodb(env, "status", "job:billing");
    assertThat(text.stdout()).contains("lock namespace in Redis", "invoices/2026-11", "held");
    assertThat(text.stdout()).doesNotContain("free", "no such run directory");

    CliProcess.Result fleet = CliProcess.nodb(env, "locks", "--json");
    assertThat(fleet.json().path("locks").findValuesAsText("runId")).contains("job:billing");

    CliProcess.Result unlock =
        CliProcess.nodb(
            env, "unlock", "job:billing", "invoices/2026-11", "--force", "--yes", "--reason", "t");
    assertThat(unlock.exitCode()).as(unlock.toString()).isZero();
    assertThat(unlock.stdout()).contains("force-unlocked invoices/2026-11 of run job:billing");
    CliProcess.Result audit = CliProcess.nodb(env, "audit", "job:billing", "--json");
    assertThat(audit.exitCode()).as(audit.toString()).isZero();
    assertThat(audit.json().path("entries").get(0).path("name").asText())
        .isEqualTo("invoices/2026-11");
    CliProcess.Result clear = CliProcess.nodb(env, "clear-locks", "job:billing", "--yes");
    assertThat(clear.exitCode()).as(clear.toString()).isZero();
    assertThat(clear.stdout()).contains("no locks held in run job:billing");
    CliProcess.Result after = CliProcess.nodb(env, "status", "job:billing");
    assertThat(after.stdout()).contains("no locks held in this namespace");
    job.getOutputStream().close();
    assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
    holders.remove(job);

    // on local files a namespace is a path: a bare id that is no directory says how to name it
    CliProcess.Result local = CliProcess.nodb("status", "job:billing");
    assertThat(local.exitCode()).as(local.toString()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(local.stderr())
        .contains("no such run directory: job:billing", "<runs-root>/job:billing");
  }

  @Test
  void aRecipeNamespaceOnLocalFilesIsItsDirectoryUnderTheRunsRoot() throws Exception {
    Process job =
        start(
            Map.of(),
            JobHolder.class.getName(),
            "running",
            "local:" + runsRoot,
            "billing",
            "invoice-export");
    String ns = runsRoot.resolve("job:billing").toString();
    CliProcess.Result status = CliProcess.nodb("status", ns, "--json");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    JsonNode lock = status.json().path("controllers").get(0);
    assertThat(lock.path("name").asText()).isEqualTo("invoice-export");
    assertThat(lock.path("lock").asText()).isEqualTo("held");
    assertThat(lock.path("owner").path("pid").asLong()).isEqualTo(job.pid());

    CliProcess.Result fleet = CliProcess.nodb("locks", runsRoot.toString(), "--json");
    assertThat(fleet.json().path("locks").findValuesAsText("runId")).contains("job:billing");

    CliProcess.Result unlock =
        CliProcess.nodb("unlock", ns, "invoice-export", "--yes", "--reason", "stuck job");
    assertThat(unlock.exitCode()).as(unlock.toString()).isZero();
    assertThat(unlock.stdout()).contains("force-unlocked invoice-export of run job:billing");
    CliProcess.Result audit = CliProcess.nodb("audit", ns, "--json");
    assertThat(audit.json().path("entries").get(0).path("reason").asText()).isEqualTo("stuck job");
    job.getOutputStream().close();
    assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
    holders.remove(job);
  }

  /** Three stuck holders (halted holding a lock), then a live holder of RUNS runs. */
  private void fleet(String backend, String prefix) throws IOException {
    for (int i = 0; i < STUCK; i++) {
      CliProcess.Result r =
          CliProcess.run(
              Map.of(), OrphanMaker.class.getName(), backend, prefix + "-stuck-" + i, "soils.nodb");
      assertThat(r.exitCode()).as(r.toString()).isZero();
    }
    start(Map.of(), FleetHolder.class.getName(), "held", backend, prefix, Integer.toString(RUNS));
  }

  private Process start(Map<String, String> env, String main, String ready, String... args)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(CliProcess.javaCommand(main, args))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("NODB_REDIS_URL");
    pb.environment().putAll(env);
    Process p = pb.start();
    holders.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).as("the holder started").isEqualTo(ready);
    return p;
  }

  private void checkFleet(List<String> command, String prefix, Path root) {
    List<String> json = new ArrayList<>(command);
    json.add("--json");
    CliProcess.Result r = CliProcess.nodb(json.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.fieldNames().next()).isEqualTo("schemaVersion");
    assertThat(doc.path("schemaVersion").asInt()).isEqualTo(JsonOutput.SCHEMA_VERSION);
    assertThat(doc.path("complete").asBoolean()).isTrue();
    if (root != null) {
      assertThat(doc.path("runsRoot").asText())
          .isEqualTo(root.toAbsolutePath().normalize().toString());
    }
    List<JsonNode> mine = new ArrayList<>();
    Instant previous = Instant.MIN;
    for (JsonNode l : doc.path("locks")) {
      Instant at = Instant.parse(l.path("acquiredAt").asText());
      assertThat(at).as("oldest first: " + l).isAfterOrEqualTo(previous);
      previous = at;
      if (l.path("runId").asText().startsWith(prefix + "-")) {
        mine.add(l);
      }
    }
    // nothing held is missing (never "free" by omission) and nothing is listed twice
    Set<String> expected = new HashSet<>();
    IntStream.range(0, RUNS)
        .forEach(i -> expected.add(String.format("%s-%04d/climate.nodb", prefix, i)));
    IntStream.range(0, STUCK).forEach(i -> expected.add(prefix + "-stuck-" + i + "/soils.nodb"));
    List<String> listed =
        mine.stream().map(l -> l.path("runId").asText() + "/" + l.path("name").asText()).toList();
    assertThat(listed).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
    for (int i = 0; i < mine.size(); i++) {
      JsonNode l = mine.get(i);
      boolean stuckHolder = l.path("runId").asText().contains("-stuck-");
      assertThat(stuckHolder).as("the stuck holders locked first: " + l).isEqualTo(i < STUCK);
      assertThat(l.path("stuck").asBoolean()).as(l.toString()).isEqualTo(stuckHolder);
      if (stuckHolder) {
        assertThat(l.path("stuckReason").asText()).contains("is gone (this host)");
      } else {
        assertThat(l.path("stuckReason").isNull()).isTrue();
      }
      assertThat(l.path("ttlLeftMillis").asLong()).isPositive();
      assertThat(l.path("fence").asLong()).isPositive();
      assertThat(l.path("host").asText()).isNotEmpty();
      assertThat(l.path("thread").asText()).isNotEmpty();
    }
    assertThat(doc.path("summary").path("stuck").asInt()).isGreaterThanOrEqualTo(STUCK);
    assertThat(doc.path("summary").path("locks").asInt()).isEqualTo(doc.path("locks").size());

    CliProcess.Result text = CliProcess.nodb(command.toArray(String[]::new));
    assertThat(text.exitCode()).as(text.toString()).isZero();
    for (String line : text.stdout().lines().toList()) {
      assertThat(line.length()).as("fits 100 columns: " + line).isLessThanOrEqualTo(100);
    }
    List<String> lines = text.stdout().lines().toList();
    assertThat(lines).anyMatch(l -> l.startsWith("RUN ") && l.contains("STUCK"));
    assertThat(text.stdout()).doesNotContain(" free");
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "\\d+ lock\\(s\\) held in \\d+ run\\(s\\), \\d+ likely stuck; --wide for every column");
    long stuckRows = lines.stream().filter(l -> l.contains("STUCK: holder process")).count();
    assertThat(stuckRows).isGreaterThanOrEqualTo(STUCK);
    List<String> wide = new ArrayList<>(command);
    wide.add("--wide");
    CliProcess.Result w = CliProcess.nodb(wide.toArray(String[]::new));
    assertThat(w.exitCode()).as(w.toString()).isZero();
    assertThat(w.stdout()).contains("ACQUIRED AT", "HELD FOR", "TTL LEFT");
  }
}
