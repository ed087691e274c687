package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockDomain;
import io.nodb.lock.LockInfo;
import io.nodb.lock.RunDomain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb domain <run-dir> [--move-to local|redis] [--reason TEXT] [--yes]}: shows the lock
 * domain a run is recorded for ({@code <run>/.nodb-domain}), or moves the run to another one: the
 * explicit, audited way to change it. A move needs that no lock of the run is held in its current
 * domain (checked there), confirmation ({@link Confirmation}), and keeps where the run came from,
 * who moved it, when and why in the record.
 */
@Command(
    name = "domain",
    description = {
      "Show the lock domain a run is recorded for, or move it to another one (audited).",
      "A move needs every lock of the run free in its current domain."
    })
final class DomainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(index = "0", paramLabel = "<run-dir>", description = "The run directory.")
  Path runDirArg;

  @Option(
      names = "--move-to",
      paramLabel = "local|redis",
      description = "Move the run to local lock files, or to the Redis of --redis/NODB_REDIS_URL.")
  String moveTo;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the record.")
  String reason;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() {
    RunDir run = RunDir.of(runDirArg);
    PrintWriter out = spec.commandLine().getOut();
    Optional<RunDomain> recorded = RunDomain.read(run.lockRun());
    if (moveTo == null) {
      show(out, run, recorded, null);
      return ExitCode.OK;
    }
    LockDomain target = target(run);
    if (recorded.isPresent() && recorded.get().domain().sameAs(target)) {
      show(out, run, recorded, "already in " + target.describe() + "; nothing changed");
      return ExitCode.OK;
    }
    String from = recorded.map(r -> r.domain().describe()).orElse("no recorded domain");
    try (LockClient current =
        recorded.isPresent()
            ? ClientFactory.forRun(root.redisUrl(), run)
            : ClientFactory.create(root.redisUrl(), run.runsRoot())) {
      List<LockInfo> held = current.admin().locks(run.runId());
      if (!held.isEmpty()) {
        throw new CliException(
            ExitCode.FAILURE,
            held.size()
                + " lock(s) of run "
                + run.runId()
                + " are held in "
                + from
                + " (for example "
                + held.get(0).key().name()
                + " by "
                + Format.owner(held.get(0))
                + "); nothing was moved\nstop the run's workers, or free them with 'nodb"
                + " clear-locks', then move it");
      }
    }
    Confirmation.require(
        yes,
        "Move run " + run.runId() + " from " + from + " to " + target.describe() + "?",
        spec.commandLine().getErr());
    RunDomain moved =
        RunDomain.move(
            run.lockRun(),
            target,
            ThisHost.name() + ":" + ProcessHandle.current().pid(),
            reason == null ? "moved with nodb domain" : reason);
    show(out, run, Optional.of(moved), "moved from " + from);
    return ExitCode.OK;
  }

  private LockDomain target(RunDir run) {
    switch (moveTo.toLowerCase(Locale.ROOT)) {
      case "local":
        return LockDomain.LOCAL;
      case "redis":
        if (root.redisUrl() == null) {
          throw CliException.usage(
              "--move-to redis needs the Redis to move to: pass --redis URL or set NODB_REDIS_URL");
        }
        try (LockClient client = ClientFactory.create(root.redisUrl(), run.runsRoot())) {
          return RunDomain.domainOf(client, null);
        }
      default:
        throw CliException.usage("--move-to must be local or redis, was '" + moveTo + "'");
    }
  }

  private void show(PrintWriter out, RunDir run, Optional<RunDomain> r, String outcome) {
    if (root.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("runId", run.runId());
      doc.put("recorded", r.isPresent());
      doc.put("domain", r.map(x -> x.domain().describe()).orElse(null));
      doc.put(
          "backend", r.map(x -> x.domain().backend().name().toLowerCase(Locale.ROOT)).orElse(null));
      doc.put("deployment", r.map(x -> x.domain().deployment()).orElse(null));
      doc.put("since", r.map(x -> x.since().toString()).orElse(null));
      doc.put("by", r.map(RunDomain::by).orElse(null));
      doc.put("fields", r.map(RunDomain::fields).orElse(null));
      doc.put("outcome", outcome);
      JsonOutput.print(out, doc);
      return;
    }
    out.println("run      " + run.runId() + "  (" + run.lockRun() + ")");
    if (r.isEmpty()) {
      out.println("domain   not recorded (the first lock of the run records it)");
    } else {
      out.println("domain   " + r.get().domain().describe());
      out.println("since    " + r.get().since() + " by " + r.get().by());
      String movedFrom = r.get().fields().get("moved-from");
      if (movedFrom != null) {
        out.println(
            "moved    from "
                + movedFrom
                + " by "
                + r.get().fields().get("moved-by")
                + ": "
                + r.get().fields().get("moved-reason"));
      }
    }
    if (outcome != null) {
      out.println(outcome);
    }
    out.flush();
  }
}
