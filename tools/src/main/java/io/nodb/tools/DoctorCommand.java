package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockInfo;
import io.nodb.lock.RedisServerReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb doctor [<run-dir>]}: checks the lock backend (Redis: reachability and round trip,
 * server version, persistence, clock skew; local: the runs root is writable) and, given a run
 * directory, that run's locks for orphans on this host. Warnings do not change the exit code (0);
 * an unreachable backend exits 3.
 */
@Command(
    name = "doctor",
    description = {
      "Check the lock backend and, given a run directory, look for orphaned locks.",
      "Exits 0 even with warnings; 3 if the backend is unavailable."
    })
final class DoctorCommand implements Callable<Integer> {

  static final Duration MAX_SKEW = Duration.ofSeconds(1);

  static final String FENCE_LOSS =
      "neither AOF nor RDB snapshots are on: lock fence counters are lost when Redis restarts;"
          + " the store lifts the fence above the file's fence when it takes the lock, so fenced"
          + " writes stay safe";

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<run-dir>",
      description = "A run directory to check for orphaned locks (optional).")
  Path runDirArg;

  @Override
  public Integer call() {
    RunDir run = runDirArg == null ? null : RunDir.of(runDirArg);
    Path runsRoot = run != null ? run.runsRoot() : Path.of("").toAbsolutePath();
    String url = root.redisUrl();
    List<DoctorCheck> checks = new ArrayList<>();
    Map<String, Object> doc = new LinkedHashMap<>();
    List<LockInfo> orphans = List.of();
    try (LockClient client = ClientFactory.create(url, runsRoot)) {
      doc.put("backend", client.backendDescription());
      checks.add(DoctorCheck.info("backend", client.backendDescription()));
      Duration ping = client.ping();
      if (url != null) {
        redisChecks(url, checks, doc);
      } else {
        checks.add(
            DoctorCheck.ok(
                "runs root",
                "writable: created and deleted a probe file in "
                    + runsRoot
                    + " in "
                    + Format.duration(ping)));
        checks.add(
            DoctorCheck.info(
                "clock",
                "the local backend judges expiry by this host's clock, shared by its processes"));
      }
      if (run == null) {
        checks.add(DoctorCheck.info("orphans", "not checked: give a run directory"));
      } else {
        OrphanCheck.Result r = OrphanCheck.check(client, run.runId());
        orphans = r.orphans();
        checks.add(orphanCheck(run, r));
      }
    }
    print(checks, doc, orphans);
    return ExitCode.OK;
  }

  private static void redisChecks(String url, List<DoctorCheck> checks, Map<String, Object> doc) {
    RedisServerReport r = RedisServerReport.read(url, ClientFactory.TIMEOUT);
    Map<String, Object> redis = new LinkedHashMap<>();
    redis.put("pingMedianMicros", r.pingMedian().toNanos() / 1000);
    redis.put("version", r.version());
    redis.put("aofEnabled", r.aofEnabled());
    redis.put("rdbSave", r.rdbSave());
    redis.put("clockSkewMillis", r.clockSkew().toMillis());
    doc.put("redis", redis);
    checks.add(
        DoctorCheck.ok(
            "reachability",
            String.format(
                Locale.ROOT,
                "PING round trip %.2f ms (median of 5)",
                r.pingMedian().toNanos() / 1e6)));
    checks.add(DoctorCheck.ok("server", "redis_version " + r.version()));
    checks.add(persistence(r));
    checks.add(
        r.clockSkew().abs().compareTo(MAX_SKEW) > 0
            ? DoctorCheck.warn(
                "clock",
                "Redis TIME differs from this host's clock by "
                    + r.clockSkew().toMillis()
                    + " ms (more than 1 s): held-for times are skewed; leases are judged by Redis"
                    + " and by each holder's monotonic clock, so they stay correct")
            : DoctorCheck.ok(
                "clock",
                "Redis TIME is within " + Math.abs(r.clockSkew().toMillis()) + " ms of this host"));
  }

  private static DoctorCheck persistence(RedisServerReport r) {
    String aof = "aof_enabled=" + (r.aofEnabled() ? 1 : 0);
    String save =
        r.rdbSave() == null ? "save=unknown (CONFIG not allowed)" : "save=\"" + r.rdbSave() + "\"";
    if (r.nothingPersisted()) {
      return DoctorCheck.warn("persistence", aof + ", " + save + ": " + FENCE_LOSS);
    }
    if (!r.aofEnabled()) {
      return DoctorCheck.ok(
          "persistence",
          aof
              + ", "
              + save
              + ": fences written after the last snapshot can be lost on a crash; the store lifts"
              + " the fence above the file's fence when it takes the lock");
    }
    return DoctorCheck.ok("persistence", aof + ", " + save);
  }

  private static DoctorCheck orphanCheck(RunDir run, OrphanCheck.Result r) {
    String counted =
        r.held()
            + " lock(s) held in run "
            + run.runId()
            + ", "
            + r.otherHosts()
            + " on other hosts";
    if (r.orphans().isEmpty()) {
      return DoctorCheck.ok("orphans", counted + ", none orphaned");
    }
    StringBuilder detail = new StringBuilder(counted).append("; orphaned (holder process gone):");
    for (LockInfo l : r.orphans()) {
      detail
          .append(" ")
          .append(l.key().name())
          .append(" (")
          .append(Format.owner(l))
          .append(", TTL left ")
          .append(Format.duration(l.ttlLeft()))
          .append(")");
    }
    detail.append(". Free with: nodb unlock ").append(run.dir()).append(" <controller> --force");
    return DoctorCheck.warn("orphans", detail.toString());
  }

  private void print(List<DoctorCheck> checks, Map<String, Object> doc, List<LockInfo> orphans) {
    PrintWriter out = spec.commandLine().getOut();
    boolean warned = checks.stream().anyMatch(c -> c.status().equals("warn"));
    if (root.json()) {
      doc.put("checks", checks.stream().map(DoctorCheck::json).toList());
      Instant now = Instant.now();
      doc.put("orphans", orphans.stream().map(l -> JsonOutput.owner(l, now)).toList());
      doc.put("warnings", checks.stream().filter(c -> c.status().equals("warn")).count());
      JsonOutput.print(out, doc);
      return;
    }
    Style style = root.style();
    TablePrinter table = new TablePrinter("CHECK", "STATUS", "DETAIL").maxWidth(root.width());
    checks.forEach(
        c ->
            table.row(
                c.name(),
                switch (c.status()) {
                  case "ok" -> style.good(c.status());
                  case "warn" -> style.warn(c.status());
                  case "info" -> c.status();
                  default -> style.bad(c.status());
                },
                c.detail()));
    table.print(out);
    out.println();
    out.println(warned ? "doctor: warnings above" : "doctor: all checks passed");
    out.flush();
  }
}
