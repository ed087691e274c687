package io.nodb.tools;

import io.nodb.tools.scenario.ScenarioConfig;
import io.nodb.tools.scenario.ScenarioKind;
import io.nodb.tools.scenario.ScenarioReport;
import io.nodb.tools.scenario.Scenarios;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb demo}: the main job. Runs every scenario ({@link ScenarioKind}) in sequence with its
 * short defaults, each in a temporary run directory with real controllers, on the local backend (or
 * Redis with {@code --redis} / {@code NODB_REDIS_URL}), and ends with one summary table: one row
 * per scenario. Exits 0 when every invariant of every scenario holds, else 1.
 */
@Command(
    name = "demo",
    description = {
      "Run every scenario with short defaults and print one summary table.",
      "Exits 0 when every invariant holds, 1 when one is broken."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand CliOptions root;

  @Option(
      names = "--processes",
      paramLabel = "N",
      defaultValue = "1",
      description = "Worker JVMs for thundering-herd and rapid-sequential (default 1: this JVM).")
  int processes;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    boolean json = root.json();
    List<ScenarioReport> reports = new ArrayList<>();
    for (ScenarioKind kind : ScenarioKind.values()) {
      String name = kind.cliName();
      ScenarioConfig config;
      try {
        boolean multi = kind.contention();
        config =
            Scenarios.config(
                name, null, root.redisUrl(), null, multi ? processes : null, null, null, null);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      ScenarioReport r = ScenarioCommand.run(config, out, json);
      reports.add(r);
      if (!json) {
        PrintWriter err = spec.commandLine().getErr();
        err.printf(
            "demo: %d/%d %s %s in %s%n",
            reports.size(),
            ScenarioKind.values().length,
            name,
            r.ok() ? "ok" : "BROKEN",
            Format.duration(Duration.ofMillis(r.elapsedMillis())));
        err.flush();
      }
    }
    boolean ok = reports.stream().allMatch(ScenarioReport::ok);
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("backend", backend(root.redisUrl(), reports));
      List<Map<String, Object>> all = new ArrayList<>();
      reports.forEach(r -> all.add(ScenarioOutput.json(r, true)));
      doc.put("scenarios", all);
      doc.put("ok", ok);
      JsonOutput.print(out, doc);
    } else {
      printSummary(out, backend(root.redisUrl(), reports), reports, ok);
    }
    return ok ? ExitCode.OK : ExitCode.FAILURE;
  }

  /** The local backend has one runs root per scenario (its temporary directory); say so. */
  private static String backend(String redisUrl, List<ScenarioReport> reports) {
    return redisUrl == null
        ? "local (lock files in each scenario's temporary run directory)"
        : reports.get(0).backend();
  }

  private void printSummary(
      PrintWriter out, String backend, List<ScenarioReport> reports, boolean ok) {
    Style style = root.style();
    out.println("nodb demo, backend " + backend);
    out.println();
    TablePrinter t =
        new TablePrinter(
                "SCENARIO", "OPS", "OK", "WAIT P50", "WAIT P99", "INVARIANTS", "OTHER OUTCOMES")
            .maxWidth(root.width())
            .truncate(0, 14);
    for (ScenarioReport r : reports) {
      long broken = r.invariants().stream().filter(i -> !i.ok()).count();
      int n = r.invariants().size();
      t.row(
          r.scenario(),
          Long.toString(r.requests()),
          Long.toString(r.count("ok")),
          ScenarioOutput.ms(r.waits().p50Millis()),
          ScenarioOutput.ms(r.waits().p99Millis()),
          broken == 0 ? style.good(n + "/" + n + " hold") : style.bad(broken + "/" + n + " BROKEN"),
          ScenarioOutput.failures(r));
    }
    t.print(out);
    out.println();
    out.println(
        "OPS: locked operations tried; OK: committed; INVARIANTS: checks that hold, of all checked;");
    out.println(
        "OTHER OUTCOMES: the faults each scenario injects and expects (see 'nodb scenario <name>').");
    out.println(
        ok
            ? "all invariants hold."
            : style.bad("BROKEN: an invariant failed; run 'nodb scenario <name>' for details."));
    out.flush();
  }
}
