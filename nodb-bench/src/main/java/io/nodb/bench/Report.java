package io.nodb.bench;

import java.util.List;

/**
 * Renders a run as Markdown: environment and settings, the summary tables (medians over rounds),
 * the targets with their ratios, and every round's raw numbers. Stateless.
 */
final class Report {

  private Report() {}

  /** Returns one line about a contended round, for progress output. */
  static String brief(ContendedRound r) {
    return String.format(
        "%d acq, %.0f hand-offs/s, gap p50 %.0f us p99 %.0f us, wait p50 %.0f us p99 %.0f us,"
            + " share %.1f-%.1f%%",
        r.acquisitions(),
        r.handoffsPerSec(),
        us(r.gapP50Nanos()),
        us(r.gapP99Nanos()),
        us(r.waitP50Nanos()),
        us(r.waitP99Nanos()),
        r.minSharePct(),
        r.maxSharePct());
  }

  /**
   * Renders the whole run.
   *
   * @param env the machine
   * @param settings how the run was configured, one line
   * @param loadAverages {@code /proc/loadavg} before and after the run, one line
   * @param command the command line that reproduces it
   * @param pairs the single-threaded results, PING first
   * @param contended the contended results
   * @param targets the target checks
   * @return Markdown
   */
  static String render(
      Environment env,
      String settings,
      String loadAverages,
      String command,
      List<PairResult> pairs,
      List<ContendedResult> contended,
      List<TargetCheck> targets) {
    StringBuilder md = new StringBuilder();
    md.append("# Lock benchmark run\n\n");
    md.append("- Command: `").append(command).append("`\n");
    md.append("- Settings: ").append(settings).append('\n');
    md.append("- CPUs: ").append(env.cpus()).append(" (").append(env.cpuModel()).append(")\n");
    md.append("- OS: ").append(env.os()).append('\n');
    md.append("- Load average (1/5/15 min): ").append(loadAverages).append('\n');
    md.append("- Java: ").append(env.java()).append('\n');
    md.append("- Redis: ").append(env.redisServer()).append('\n');
    md.append("- Clients: Jedis ").append(env.jedis());
    md.append(", Redisson ").append(env.redisson()).append(", nodb (this commit)\n\n");
    md.append("## Single-threaded, uncontended (median over rounds)\n\n");
    pairSummary(md, pairs);
    md.append("\n## Contended, one key (median over rounds)\n\n");
    contendedSummary(md, contended);
    md.append("\n## Targets (ratios from this run)\n\n");
    md.append("| Target | Measured ratio | Bound | Met |\n|---|---:|---:|:---:|\n");
    for (TargetCheck t : targets) {
      md.append(
          String.format(
              "| %s | %.2f | %s %.1f | %s |%n",
              t.target(), t.ratio(), t.atMost() ? "≤" : "≥", t.limit(), t.met() ? "✅" : "❌"));
    }
    md.append("\n## Raw rounds\n\n### Single-threaded\n\n");
    md.append(
        "| Operation | Round | Ops | p50 µs | p99 µs | ops/s | server µs/op | JVM CPU µs/op |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (PairResult p : pairs) {
      for (int i = 0; i < p.rounds().size(); i++) {
        PairResult.Round r = p.rounds().get(i);
        md.append(
            String.format(
                "| %s | %d | %d | %.1f | %.1f | %.0f | %.1f | %.1f |%n",
                p.label(),
                i + 1,
                r.ops(),
                us(r.p50Nanos()),
                us(r.p99Nanos()),
                r.opsPerSec(),
                r.serverMicrosPerOp(),
                r.cpuMicrosPerOp()));
      }
    }
    md.append("\n### Contended\n\n");
    md.append(
        "| Scenario | Round | Acquisitions | Seconds | Hand-offs/s | Gap p50 µs | Gap p99 µs");
    md.append(" | Wait p50 µs | Wait p99 µs | Share min % | Share max % |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ContendedResult c : contended) {
      for (int i = 0; i < c.rounds().size(); i++) {
        ContendedRound r = c.rounds().get(i);
        md.append(
            String.format(
                "| %s | %d | %d | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f |%n",
                c.label(),
                i + 1,
                r.acquisitions(),
                r.seconds(),
                r.handoffsPerSec(),
                us(r.gapP50Nanos()),
                us(r.gapP99Nanos()),
                us(r.waitP50Nanos()),
                us(r.waitP99Nanos()),
                r.minSharePct(),
                r.maxSharePct()));
      }
    }
    md.append("\nMutual exclusion checks (all passed, or the run would have failed):\n\n");
    for (ContendedResult c : contended) {
      md.append("- ").append(c.label()).append(": ").append(c.exclusionCheck()).append('\n');
    }
    return md.toString();
  }

  private static void pairSummary(StringBuilder md, List<PairResult> pairs) {
    double ping = pairs.get(0).medianP50Nanos();
    md.append("| Operation | p50 µs | p99 µs | ops/s | p50 ÷ PING p50 | server µs/op");
    md.append(" | JVM CPU µs/op |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (PairResult p : pairs) {
      md.append(
          String.format(
              "| %s | %.1f | %.1f | %.0f | %.2f | %.1f | %.1f |%n",
              p.label(),
              us(p.medianP50Nanos()),
              us(p.medianP99Nanos()),
              p.medianOpsPerSec(),
              p.medianP50Nanos() / ping,
              p.medianServerMicrosPerOp(),
              p.medianCpuMicrosPerOp()));
    }
    md.append(
        "\nserver µs/op: Redis command time from INFO commandstats; JVM CPU µs/op: CPU time of"
            + " the benchmark JVM, all threads, user + system. Rows marked diag decompose the"
            + " nodb pair and are not contenders.\n");
  }

  private static void contendedSummary(StringBuilder md, List<ContendedResult> contended) {
    md.append("| Scenario | Hand-offs/s | Gap p50 µs | Gap p99 µs | Wait p50 µs | Wait p99 µs");
    md.append(" | Share min–max % |\n|---|---:|---:|---:|---:|---:|---|\n");
    for (ContendedResult c : contended) {
      md.append(
          String.format(
              "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f–%.1f |%n",
              c.label(),
              c.median(ContendedRound::handoffsPerSec),
              c.median(r -> us(r.gapP50Nanos())),
              c.median(r -> us(r.gapP99Nanos())),
              c.median(r -> us(r.waitP50Nanos())),
              c.median(r -> us(r.waitP99Nanos())),
              c.median(ContendedRound::minSharePct),
              c.median(ContendedRound::maxSharePct)));
    }
  }

  private static double us(double nanos) {
    return nanos / 1e3;
  }
}
