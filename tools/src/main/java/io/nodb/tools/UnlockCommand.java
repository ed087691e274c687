package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * {@code nodb unlock <run-dir> <controller> --force [--reason TEXT] [--yes]}: frees one lock
 * whoever holds it, showing the previous owner; the backend records the audit entry. Without {@code
 * --force} it refuses (exit 2) and explains what forcing does.
 */
@Command(
    name = "unlock",
    description = {
      "Force one lock of a run free (audited). Requires --force.",
      "The evicted holder's next renewal or dump fails with FORCED."
    })
final class UnlockCommand implements Callable<Integer> {

  static final String FORCE_EXPLANATION =
      "refusing to unlock without --force\n"
          + "forcing evicts the holder: its next lease renewal or fenced dump fails with FORCED,\n"
          + "and the unlock is recorded in the run's audit trail (see 'nodb audit');\n"
          + "check the holder with 'nodb status' first";

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(index = "0", paramLabel = "<run-dir>", description = "The run directory.")
  Path runDirArg;

  @Parameters(
      index = "1",
      paramLabel = "<controller>",
      description = "The controller file, relative to the run directory (e.g. climate.nodb).")
  String controller;

  @Option(names = "--force", description = "Required: evict the holder.")
  boolean force;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
  String reason;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() {
    RunDir run = RunDir.resolve(runDirArg, root.redisUrl());
    LockKey key = LockKey.of(run.runId(), controller);
    if (!force) {
      throw CliException.usage(FORCE_EXPLANATION);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (LockClient client = ClientFactory.create(root.redisUrl(), run.runsRoot())) {
      Optional<LockInfo> current = client.owner(key);
      if (current.isEmpty()) {
        report(out, run, key, "not-locked", Optional.empty());
        return ExitCode.OK;
      }
      if (!yes && !root.json()) {
        out.println("current owner: " + Format.ownerLine(current.get(), Instant.now()));
        out.flush();
      }
      Confirmation.require(yes, "Force-unlock " + key.name() + " of run " + run.runId() + "?");
      Optional<LockInfo> evicted = client.forceUnlock(key, reason);
      report(out, run, key, evicted.isPresent() ? "forced" : "released-meanwhile", evicted);
    }
    return ExitCode.OK;
  }

  private void report(
      PrintWriter out, RunDir run, LockKey key, String outcome, Optional<LockInfo> evicted) {
    Instant now = Instant.now();
    if (root.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("runId", run.runId());
      doc.put("name", key.name());
      doc.put("outcome", outcome);
      doc.put("previousOwner", evicted.map(e -> JsonOutput.owner(e, now)).orElse(null));
      JsonOutput.print(out, doc);
      return;
    }
    switch (outcome) {
      case "not-locked" -> out.println(key.name() + " of run " + run.runId() + " is not locked");
      case "forced" -> {
        out.println("force-unlocked " + key.name() + " of run " + run.runId());
        out.println("previous owner: " + Format.ownerLine(evicted.orElseThrow(), now));
      }
      default -> out.println(key.name() + " was released before the force; nothing was forced");
    }
    out.flush();
  }
}
