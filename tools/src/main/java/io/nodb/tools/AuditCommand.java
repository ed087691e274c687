package io.nodb.tools;

import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockClient;
import java.io.PrintWriter;
import java.nio.file.Path;
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

/** {@code nodb audit <run-dir> [--limit N]}: a run's forced unlocks and clears, newest first. */
@Command(name = "audit", description = "Show a run's forced unlocks and clears, newest first.")
final class AuditCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(index = "0", paramLabel = "<run-dir>", description = "The run directory.")
  Path runDirArg;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Show at most N entries (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw CliException.usage("--limit must be at least 1, was " + limit);
    }
    RunDir run = RunDir.resolve(runDirArg, root.redisUrl());
    List<AuditEntry> entries;
    try (LockClient client = ClientFactory.forRun(root.redisUrl(), run)) {
      entries = client.admin().audit(run.lockNamespace(), limit);
    }
    if (run.identity().nested()) {
      // a nested run's entries are those of the run that holds it under its path
      entries =
          entries.stream().filter(e -> e.key().name().startsWith(run.identity().prefix())).toList();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("runId", run.runId());
      doc.put("entries", entries.stream().map(JsonOutput::audit).toList());
      JsonOutput.print(out, doc);
      return ExitCode.OK;
    }
    boolean wide = root.width() <= 0;
    java.time.Instant now = java.time.Instant.now();
    if (entries.isEmpty()) {
      out.println("no forced unlocks or clears recorded for run " + run.runId());
    } else {
      TablePrinter table =
          new TablePrinter(
                  wide ? "AT" : "WHEN",
                  "OPERATION",
                  "CONTROLLER",
                  "PREVIOUS OWNER",
                  "FENCE",
                  "ACTOR",
                  "REASON")
              .maxWidth(root.width())
              .truncate(2, 16)
              .truncate(3, 12)
              .truncate(5, 12);
      for (AuditEntry e : entries) {
        table.row(
            wide ? Format.instant(e.at()) : Format.age(e.at().toString(), now),
            e.operation(),
            e.key().name(),
            e.previousOwner() == null ? null : Format.owner(e.previousOwner()),
            e.previousOwner() == null ? null : Long.toString(e.previousOwner().fence()),
            e.actor(),
            e.reason());
      }
      table.print(out);
    }
    out.flush();
    return ExitCode.OK;
  }
}
