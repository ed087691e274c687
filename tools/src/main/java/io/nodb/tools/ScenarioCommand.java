package io.nodb.tools;

import io.nodb.tools.scenario.Progress;
import io.nodb.tools.scenario.ScenarioConfig;
import io.nodb.tools.scenario.ScenarioRefusedException;
import io.nodb.tools.scenario.ScenarioReport;
import io.nodb.tools.scenario.Scenarios;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb scenario <name> [run-dir]}: runs one named contention or fault scenario with real
 * controllers against a run directory (temporary by default), shows a live progress line on a
 * terminal, and prints a summary: outcomes, wait and hold percentiles, hand-offs, narrated steps
 * and invariant checks. Exits 0 when every invariant holds, 1 when one is broken.
 */
@Command(
    name = "scenario",
    description = {
      "Run a named contention or fault scenario against a run directory and check invariants.",
      "Scenarios: thundering-herd, rapid-sequential, ttl-expiration, token-corruption,"
          + " orphaned-locks, clear-during-operation.",
      "Exits 0 when every invariant holds, 1 when one is broken."
    })
final class ScenarioCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(index = "0", paramLabel = "<name>", description = "The scenario.")
  String name;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "<run-dir>",
      description =
          "Run directory (created if missing, kept afterwards; must have no held locks)."
              + " Default: a temporary one, deleted afterwards.")
  Path runDir;

  @Option(names = "--threads", paramLabel = "N", description = "Threads per process.")
  Integer threads;

  @Option(
      names = "--processes",
      paramLabel = "N",
      description = "Worker JVMs (thundering-herd, rapid-sequential). Default 1: this JVM.")
  Integer processes;

  @Option(names = "--requests", paramLabel = "N", description = "Locked operations per thread.")
  Integer requests;

  @Option(
      names = "--hold",
      paramLabel = "MS",
      description = "Simulated work inside each critical section.")
  Long holdMillis;

  @Option(names = "--lease", paramLabel = "MS", description = "Lease of the scenario's locks.")
  Long leaseMillis;

  @Override
  public Integer call() throws Exception {
    ScenarioConfig config;
    try {
      config =
          Scenarios.config(
              name, runDir, root.redisUrl(), threads, processes, requests, holdMillis, leaseMillis);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    ScenarioReport report = run(config, out, root.json());
    if (root.json()) {
      JsonOutput.print(out, ScenarioOutput.json(report, runDir == null));
    } else {
      ScenarioOutput.printText(out, report, runDir == null, root.style(), root.width());
    }
    return report.ok() ? ExitCode.OK : ExitCode.FAILURE;
  }

  /** Runs a scenario with a live progress line when stdout is a terminal. */
  static ScenarioReport run(ScenarioConfig config, PrintWriter out, boolean json) throws Exception {
    TerminalProgress live = TerminalProgress.forStdout(out, json);
    try {
      return Scenarios.run(config, live == null ? Progress.NONE : live);
    } catch (ScenarioRefusedException e) {
      throw CliException.usage(e.getMessage());
    } finally {
      if (live != null) {
        live.finish();
      }
    }
  }
}
