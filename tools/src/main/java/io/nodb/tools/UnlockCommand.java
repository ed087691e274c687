package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHolderChangedException;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb unlock <run-dir> <controller> [--expect DIGEST] [--reason TEXT] [--yes]}: frees one
 * lock, evicting exactly the holder shown (compare-and-force on its token digest): if another
 * holder took the lock meanwhile, nothing is forced and the new holder is shown (exit 1). A name
 * that is neither a controller file nor a lock of the run is "not found" (exit 4) with the closest
 * names. Confirmation as for every destructive command ({@link Confirmation}).
 */
@Command(
    name = "unlock",
    description = {
      "Force one lock of a run free (audited), evicting exactly the holder shown.",
      "The evicted holder's next renewal or dump fails with FORCED."
    })
final class UnlockCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(index = "0", paramLabel = "<run-dir>", description = "The run directory.")
  Path runDirArg;

  @Parameters(
      index = "1",
      paramLabel = "<controller>",
      description = "The controller file, relative to the run directory (e.g. climate.nodb).")
  String controller;

  @Option(
      names = "--force",
      description = "Accepted for older scripts; the confirmation (or --yes) is what is required.")
  boolean force;

  @Option(
      names = "--expect",
      paramLabel = "DIGEST",
      description =
          "Evict only the holder with this token digest (as 'nodb status --json' shows);"
              + " default: the holder shown now.")
  String expect;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
  String reason;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() {
    RunDir run = RunDir.resolve(runDirArg, root.redisUrl());
    // a nested run's locks are under the run that holds it, named by its path there
    LockKey key = LockKey.of(run.lockNamespace(), run.lockName(controller));
    if (expect != null && !expect.matches("[0-9a-f]{8}")) {
      throw CliException.usage(
          "--expect needs a token digest of 8 lower-case hex digits, was '" + expect + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (LockClient client = ClientFactory.forRun(root.redisUrl(), run)) {
      Optional<LockInfo> current = client.owner(key);
      if (current.isEmpty()) {
        if (!known(run, client)) {
          throw new CliException(ExitCode.NOT_FOUND, notFound(run, client));
        }
        report(out, run, key, "not-locked", Optional.empty());
        return ExitCode.OK;
      }
      LockInfo holder = current.get();
      String expected = expect != null ? expect : holder.tokenDigest();
      if (!expected.equals(holder.tokenDigest())) {
        return changed(out, run, key, new LockHolderChangedException(key, expected, holder));
      }
      if (!yes && !root.json()) {
        out.println(
            "current owner: "
                + Format.ownerLine(holder, Instant.now())
                + ", token "
                + holder.tokenDigest());
        out.flush();
      }
      Confirmation.require(
          yes,
          "Force-unlock "
              + key.name()
              + " of run "
              + run.runId()
              + " held by "
              + Format.owner(holder)
              + " (token "
              + expected
              + ")?",
          spec.commandLine().getErr());
      Optional<LockInfo> evicted;
      try {
        evicted = client.admin().forceUnlock(key, expected, reason);
      } catch (LockHolderChangedException e) {
        return changed(out, run, key, e);
      }
      report(out, run, key, evicted.isPresent() ? "forced" : "released-meanwhile", evicted);
    }
    return ExitCode.OK;
  }

  /**
   * Whether {@code controller} names a file of the run, one of its locks, or a controller nodb
   * knows ({@code climate.nodb}, ...).
   */
  private boolean known(RunDir run, LockClient client) {
    if (io.nodb.controllers.Controllers.forFile(controller).isPresent()) {
      return true;
    }
    Path file = run.dir().resolve(controller).normalize();
    if (file.startsWith(run.dir()) && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    return client.admin().locks(run.lockNamespace()).stream()
        .anyMatch(l -> run.fileOf(l.key().name()).filter(controller::equals).isPresent());
  }

  private String notFound(RunDir run, LockClient client) {
    TreeSet<String> names = new TreeSet<>(ControllerFiles.list(run));
    client
        .admin()
        .locks(run.lockNamespace())
        .forEach(l -> run.fileOf(l.key().name()).ifPresent(names::add));
    List<String> close = new ArrayList<>();
    for (String n : names) {
      if (distance(n, controller) <= Math.max(2, controller.length() / 4)) {
        close.add(n);
      }
    }
    String msg = "no controller file or lock named '" + controller + "' in run " + run.runId();
    if (!close.isEmpty()) {
      return msg
          + "; did you mean "
          + String.join(" or ", close.stream().map(n -> "'" + n + "'").toList())
          + "?";
    }
    return names.isEmpty() ? msg : msg + "; it has " + String.join(", ", names);
  }

  /** Levenshtein distance, for "did you mean". */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private int changed(PrintWriter out, RunDir run, LockKey key, LockHolderChangedException e) {
    Instant now = Instant.now();
    if (root.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("runId", run.runId());
      doc.put("name", key.name());
      doc.put("outcome", "holder-changed");
      doc.put("expectedTokenDigest", e.expectedDigest());
      doc.put("currentOwner", JsonOutput.owner(e.holder(), now));
      JsonOutput.print(out, doc);
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        "nodb: the holder of "
            + key.name()
            + " changed (expected token "
            + e.expectedDigest()
            + "); nothing was forced");
    err.println(
        "nodb: now held by "
            + Format.ownerLine(e.holder(), now)
            + ", token "
            + e.holder().tokenDigest());
    err.println("nodb: run the command again to force this holder");
    err.flush();
    return ExitCode.FAILURE;
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
        out.println(
            "previous owner: "
                + Format.ownerLine(evicted.orElseThrow(), now)
                + ", token "
                + evicted.orElseThrow().tokenDigest());
      }
      default -> out.println(key.name() + " was released before the force; nothing was forced");
    }
    out.flush();
  }
}
