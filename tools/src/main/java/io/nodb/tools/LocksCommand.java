package io.nodb.tools;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb locks [<runs-root>] [--stuck-after DURATION] [--limit N]}: the fleet view ({@link
 * FleetView}), every held lock across runs and lock namespaces, oldest first, likely stuck ones
 * flagged. Exits 0 (stuck locks included), 2 on a bad option, 3 if the backend is unreachable, 4 if
 * a local runs root does not exist.
 */
@Command(
    name = "locks",
    description = {
      "List every held lock across runs and lock namespaces, oldest first.",
      "Flags likely stuck ones (holder process gone on this host, or held too long).",
      "Redis: every run and namespace of the database (SCAN); local: the runs root's runs.",
      "Exits 0 even when locks are stuck (see the summary line or --json)."
    })
final class LocksCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<runs-root>",
      description = "The directory whose subdirectories are runs (local; default: .).")
  Path runsRoot;

  @Option(
      names = "--stuck-after",
      paramLabel = "DURATION",
      defaultValue = FleetView.DEFAULT_STUCK_AFTER,
      description =
          "Flag locks held longer than this (90s, 30m, 1h, PT1H; default ${DEFAULT-VALUE}).")
  String stuckAfter;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Read at most N runs (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw CliException.usage("--limit must be at least 1, was " + limit);
    }
    return new FleetView(root, spec.commandLine().getOut(), spec.commandLine().getErr())
        .show(runsRoot, FleetView.parseDuration(stuckAfter), limit);
  }
}
