package io.nodb.tools;

import io.nodb.tools.scenario.Invariant;
import io.nodb.tools.scenario.ScenarioConfig;
import io.nodb.tools.scenario.ScenarioReport;
import io.nodb.tools.scenario.Stats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints a {@link ScenarioReport} as text tables or as a JSON document. Stateless. */
final class ScenarioOutput {

  private ScenarioOutput() {}

  /**
   * Prints the full report of one scenario.
   *
   * @param out stdout
   * @param r the report
   * @param temporary whether the run directory was temporary (and is gone)
   * @param style the colours
   * @param width the width tables and steps fit, or 0 for none ({@code --wide})
   */
  static void printText(
      PrintWriter out, ScenarioReport r, boolean temporary, Style style, int width) {
    String title = r.scenario() + ": " + r.description();
    List<String> titleLines =
        width <= 0 ? List.of(title) : TablePrinter.wrap(title, width - "scenario  ".length());
    out.println("scenario  " + titleLines.get(0));
    titleLines.subList(1, titleLines.size()).forEach(l -> out.println("          " + l));
    out.println("backend   " + r.backend());
    out.println("run       " + r.runDir() + (temporary ? "  (temporary, deleted)" : ""));
    out.println();
    out.println("steps");
    r.steps().forEach(s -> printStep(out, s, width));
    out.println();
    TablePrinter outcomes = new TablePrinter("OUTCOME", "COUNT");
    r.outcomes().forEach((k, v) -> outcomes.row(k, Long.toString(v)));
    outcomes.print(out);
    out.println();
    new TablePrinter("", "P50", "P99", "MAX", "N")
        .row(
            "wait",
            ms(r.waits().p50Millis()),
            ms(r.waits().p99Millis()),
            ms(r.waits().maxMillis()),
            Integer.toString(r.waits().count()))
        .row(
            "hold",
            ms(r.holds().p50Millis()),
            ms(r.holds().p99Millis()),
            ms(r.holds().maxMillis()),
            Integer.toString(r.holds().count()))
        .print(out);
    out.println();
    out.println("hand-offs " + r.handoffs() + "  (lock passed to a different holder)");
    out.println();
    TablePrinter inv =
        new TablePrinter("INVARIANT", "EXPECTED", "ACTUAL", "STATUS")
            .maxWidth(width)
            .truncate(0, 20)
            .truncate(1, 10)
            .truncate(2, 10);
    for (Invariant i : r.invariants()) {
      inv.row(i.name(), i.expected(), i.actual(), i.ok() ? style.good("ok") : style.bad("BROKEN"));
    }
    inv.print(out);
    out.println();
    long broken = r.invariants().stream().filter(i -> !i.ok()).count();
    out.println(
        (broken == 0
                ? "result    "
                    + style.good("OK")
                    + ": all "
                    + r.invariants().size()
                    + " invariants hold"
                : "result    "
                    + style.bad("BROKEN")
                    + ": "
                    + broken
                    + " of "
                    + r.invariants().size()
                    + " invariants broken")
            + " ("
            + r.requests()
            + " operations in "
            + Format.duration(Duration.ofMillis(r.elapsedMillis()))
            + ")");
    out.flush();
  }

  /**
   * Prints one narrated step ({@code " 1234 ms text"}), word-wrapped within {@code width} columns
   * with continuation lines under the text.
   */
  private static void printStep(PrintWriter out, String step, int width) {
    int text = step.indexOf(" ms  ");
    if (width <= 0 || step.length() + 2 <= width || text < 0) {
      out.println("  " + step);
      return;
    }
    String indent = " ".repeat(text + 7);
    List<String> lines = TablePrinter.wrap(step.substring(text + 5), width - indent.length());
    out.println("  " + step.substring(0, text + 5) + lines.get(0));
    lines.subList(1, lines.size()).forEach(l -> out.println(indent + l));
  }

  /** Returns the failures (every outcome but ok) as {@code name count, ...}, or {@code -}. */
  static String failures(ScenarioReport r) {
    String s =
        r.outcomes().entrySet().stream()
            .filter(e -> !e.getKey().equals("ok"))
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    return s.isEmpty() ? "-" : s;
  }

  /** Returns {@code OK} or {@code BROKEN (n)}. */
  static String verdict(ScenarioReport r) {
    long broken = r.invariants().stream().filter(i -> !i.ok()).count();
    return broken == 0
        ? "OK (" + r.invariants().size() + ")"
        : "BROKEN (" + broken + " of " + r.invariants().size() + ")";
  }

  /**
   * Returns the report as a JSON object.
   *
   * @param r the report
   * @param temporary whether the run directory was temporary
   * @return the document
   */
  static Map<String, Object> json(ScenarioReport r, boolean temporary) {
    ScenarioConfig c = r.config();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("scenario", r.scenario());
    doc.put("description", r.description());
    doc.put("backend", r.backend());
    doc.put("runDir", r.runDir());
    doc.put("temporary", temporary);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("threads", c.threads());
    params.put("processes", c.processes());
    params.put("requests", c.requests());
    params.put("holdMillis", c.hold().toMillis());
    params.put("leaseMillis", c.lease().toMillis());
    doc.put("parameters", params);
    doc.put("elapsedMillis", r.elapsedMillis());
    doc.put("operations", r.requests());
    doc.put("outcomes", r.outcomes());
    doc.put("wait", stats(r.waits()));
    doc.put("hold", stats(r.holds()));
    doc.put("handoffs", r.handoffs());
    List<Map<String, Object>> inv = new ArrayList<>();
    for (Invariant i : r.invariants()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", i.name());
      m.put("expected", i.expected());
      m.put("actual", i.actual());
      m.put("ok", i.ok());
      inv.add(m);
    }
    doc.put("invariants", inv);
    doc.put("steps", r.steps());
    doc.put("ok", r.ok());
    return doc;
  }

  private static Map<String, Object> stats(Stats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", s.count());
    m.put("p50Millis", round(s.p50Millis()));
    m.put("p99Millis", round(s.p99Millis()));
    m.put("maxMillis", round(s.maxMillis()));
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static String ms(double millis) {
    return String.format(Locale.ROOT, "%.1f ms", millis);
  }
}
