package io.nodb.tools.scenario;

import io.nodb.controllers.Controllers;
import io.nodb.controllers.Ron;
import io.nodb.lock.LockClient;
import io.nodb.store.ControllerType;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbStore;
import io.nodb.testing.check.HoldRecord;
import io.nodb.testing.check.OverlapChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The named contention and fault scenarios, their defaults, and the harness that runs one: it
 * prepares a run directory with real controllers (temporary unless one is given), builds the lock
 * client and store, runs the scenario, and collects the report. Stateless; thread-safe.
 */
public final class Scenarios {

  /** The scenario names, in the order {@code nodb demo} runs them ({@link ScenarioKind}). */
  public static final List<String> NAMES = ScenarioKind.names();

  /** How long a locked operation of a scenario waits for its lock at most. */
  static final Duration LOCK_WAIT = Duration.ofSeconds(60);

  /** The connect and read timeout of the scenario's lock client. */
  static final Duration BACKEND_TIMEOUT = Duration.ofSeconds(2);

  private Scenarios() {}

  /**
   * Builds a configuration, taking the scenario's default for every null option.
   *
   * @param name the scenario
   * @param runDir the run directory, or null for a temporary one
   * @param redisUrl the Redis URL, or null for the local backend
   * @param threads threads per process, or null
   * @param processes worker JVMs, or null (1)
   * @param requests operations per thread, or null
   * @param holdMillis simulated work per critical section, or null
   * @param leaseMillis lease, or null
   * @return the configuration
   * @throws IllegalArgumentException naming the bad value if the name or a value is not acceptable
   */
  public static ScenarioConfig config(
      String name,
      Path runDir,
      String redisUrl,
      Integer threads,
      Integer processes,
      Integer requests,
      Long holdMillis,
      Long leaseMillis) {
    ScenarioKind d =
        ScenarioKind.byName(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown scenario '"
                            + name
                            + "'; expected one of "
                            + String.join(", ", NAMES)));
    int t = range("--threads", threads == null ? d.threads() : threads, 1, 256);
    int p = range("--processes", processes == null ? 1 : processes, 1, 16);
    int r = range("--requests", requests == null ? d.requests() : requests, 1, 100_000);
    long h = range("--hold", holdMillis == null ? d.holdMillis() : holdMillis, 0, 60_000);
    long l = range("--lease", leaseMillis == null ? d.leaseMillis() : leaseMillis, 10, 3_600_000);
    if (p > 1 && !d.contention()) {
      throw new IllegalArgumentException(
          "--processes applies to thundering-herd and rapid-sequential only (orphaned-locks always"
              + " uses a separate process)");
    }
    return new ScenarioConfig(
        name, runDir, redisUrl, t, p, r, Duration.ofMillis(h), Duration.ofMillis(l));
  }

  /**
   * Runs one scenario.
   *
   * @param config what to run
   * @param progress told of progress while it runs
   * @return the report
   * @throws ScenarioRefusedException if the given run directory has locks held (a scenario would
   *     disturb their holders)
   * @throws io.nodb.lock.LockBackendUnavailableException if the backend cannot be reached
   * @throws Exception if the scenario cannot be carried out
   */
  public static ScenarioReport run(ScenarioConfig config, Progress progress) throws Exception {
    Scenario scenario = kind(config.name()).create();
    Path tempRoot = null;
    Path runDir;
    if (config.runDir() == null) {
      tempRoot = Files.createTempDirectory("nodb-scenario-");
      runDir =
          tempRoot.resolve(
              config.name()
                  + "-"
                  + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL));
    } else {
      runDir = config.runDir().toAbsolutePath().normalize();
    }
    // the store's identity of the run: a link is its target (its real name is the run id)
    io.nodb.store.RunIdentity id = io.nodb.store.RunIdentity.of(runDir);
    if (id.nested()) {
      throw new ScenarioRefusedException(
          "run "
              + runDir
              + " is a nested run, locked as run "
              + id.runId()
              + "; a scenario locks its files under a run of its own: give a top-level run");
    }
    runDir = id.dir();
    String runId = id.runId();
    try (LockClient client = client(config.redisUrl(), runDir.getParent());
        NoDbStore store =
            NoDbStore.builder()
                .lockClient(client)
                .lease(config.lease())
                .lockWait(LOCK_WAIT)
                .build()) {
      Files.createDirectories(runDir);
      int held = client.admin().locks(runId).size();
      if (held > 0) {
        throw new ScenarioRefusedException(
            "run "
                + runId
                + " has "
                + held
                + " lock(s) held; a scenario would disturb their holders (see 'nodb status')");
      }
      prepareRun(store, runDir, config.name());
      long total = expectedOperations(config);
      AtomicLong lastUpdate = new AtomicLong();
      Recorder[] rec = new Recorder[1];
      rec[0] =
          new Recorder(
              () -> {
                long now = System.nanoTime();
                long last = lastUpdate.get();
                if (now - last > 50_000_000L && lastUpdate.compareAndSet(last, now)) {
                  progress.update(progressLine(config.name(), rec[0], total));
                }
              });
      ScenarioContext ctx = new ScenarioContext(config, client, store, runDir, runId, rec[0]);
      long start = System.nanoTime();
      List<Invariant> invariants = scenario.run(ctx);
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      progress.update(progressLine(config.name(), rec[0], total));
      List<HoldRecord> holds = rec[0].holds();
      return new ScenarioReport(
          config.name(),
          scenario.describe(config),
          client.backendDescription(),
          runDir.toString(),
          config,
          elapsed,
          rec[0].outcomes(),
          Stats.ofNanos(rec[0].waits()),
          Stats.ofNanos(holds.stream().map(h -> h.exitNanos() - h.enterNanos()).toList()),
          OverlapChecker.handoffs(holds),
          invariants,
          ctx.steps());
    } finally {
      if (tempRoot != null) {
        deleteTree(tempRoot);
      }
    }
  }

  private static String progressLine(String name, Recorder rec, long total) {
    return String.format(
        Locale.ROOT,
        "%s: %d%s done, %d overlaps",
        name,
        rec.done(),
        total > 0 ? "/" + total : "",
        OverlapChecker.check(rec.holds()).violations(OverlapChecker.OVERLAP));
  }

  private static long expectedOperations(ScenarioConfig c) {
    return kind(c.name()).contention() ? (long) c.threads() * c.requests() * c.processes() : 0;
  }

  private static ScenarioKind kind(String name) {
    return ScenarioKind.byName(name)
        .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "'"));
  }

  /** Builds the lock client of a scenario or a worker JVM. */
  static LockClient client(String redisUrl, Path runsRoot) {
    var builder = LockClient.builder().connectTimeout(BACKEND_TIMEOUT).readTimeout(BACKEND_TIMEOUT);
    return (redisUrl == null ? builder.local(runsRoot) : builder.redis(redisUrl)).build();
  }

  /**
   * Creates the run's controllers that do not exist yet (all of them through Ron for a new run).
   */
  static void prepareRun(NoDbStore store, Path runDir, String name) {
    if (!Files.exists(runDir.resolve(Ron.TYPE.fileName()))) {
      Ron.create(store, runDir, "scenario " + name, System.getProperty("user.name"), "scenario");
      return;
    }
    for (ControllerType<?, ?> type : Controllers.ALL) {
      createIfMissing(store, runDir, type);
    }
  }

  private static <C extends NoDbBase<S>, S> void createIfMissing(
      NoDbStore store, Path runDir, ControllerType<C, S> type) {
    if (store.tryGetInstance(type.controllerClass(), runDir).isEmpty()) {
      store.create(type.controllerClass(), runDir, s -> {});
    }
  }

  private static int range(String option, int v, int min, int max) {
    return (int) range(option, (long) v, min, max);
  }

  private static long range(String option, long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and " + max + ", was " + v);
    }
    return v;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
