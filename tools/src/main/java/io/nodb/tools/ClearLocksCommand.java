package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb clear-locks <run-dir> [--reason TEXT] [--yes]}: frees every lock of one run (through
 * the run's index; other runs are untouched), lists what was cleared; the backend records the audit
 * entries. Asks for confirmation on a terminal unless {@code --yes}.
 */
@Command(
    name = "clear-locks",
    description = {
      "Free every lock of one run (audited); other runs are untouched.",
      "Evicted holders' next renewal or dump fails with CLEARED."
    })
final class ClearLocksCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(index = "0", paramLabel = "<run-dir>", description = "The run directory.")
  Path runDirArg;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
  String reason;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() {
    RunDir run = RunDir.resolve(runDirArg, root.redisUrl());
    if (run.identity().nested()) {
      // its locks are part of the run that holds it: clearing that run id would clear them all
      throw CliException.usage(
          run.label()
              + " is a nested run, locked as run "
              + run.runId()
              + " (lock names "
              + run.identity().prefix()
              + "...); clear-locks clears whole runs: force one lock with 'nodb unlock "
              + runDirArg
              + " <controller>', or clear "
              + run.lockRun()
              + " (with its nested runs)");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<LockInfo> cleared;
    try (LockClient client = ClientFactory.forRun(root.redisUrl(), run)) {
      List<LockInfo> held = client.admin().locks(run.lockNamespace());
      if (held.isEmpty()) {
        cleared = List.of();
      } else {
        if (!yes && !root.json()) {
          out.println(held.size() + " lock(s) held in run " + run.runId() + ":");
          held.forEach(l -> out.println("  " + l.key().name() + "  " + Format.owner(l)));
          out.flush();
        }
        Confirmation.require(
            yes,
            "Clear all " + held.size() + " lock(s) of run " + run.runId() + "?",
            spec.commandLine().getErr());
        cleared = client.admin().clearLocks(run.lockNamespace(), reason);
      }
    }
    Instant now = Instant.now();
    if (root.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("runId", run.runId());
      doc.put("cleared", cleared.stream().map(l -> JsonOutput.owner(l, now)).toList());
      JsonOutput.print(out, doc);
    } else if (cleared.isEmpty()) {
      out.println("no locks held in run " + run.runId() + "; nothing cleared");
    } else {
      out.println("cleared " + cleared.size() + " lock(s) of run " + run.runId() + ":");
      TablePrinter table =
          new TablePrinter("CONTROLLER", "PREVIOUS OWNER", "FENCE", "HELD FOR")
              .maxWidth(root.width())
              .truncate(0, 16)
              .truncate(1, 12);
      for (LockInfo l : cleared) {
        table.row(
            l.key().name(),
            Format.owner(l),
            Long.toString(l.fence()),
            Format.duration(l.heldFor(now)));
      }
      table.print(out);
    }
    out.flush();
    return ExitCode.OK;
  }
}
