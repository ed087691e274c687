package io.nodb.bench;

/**
 * Entry point of the benchmark runner: {@code java -jar nodb-bench.jar lock [--redis URL] [--out
 * DIR] [--quick]}. Prints the Markdown report to standard output, progress to standard error, and
 * exits with status 1 on failure (including any mutual-exclusion violation).
 */
public final class BenchMain {

  private BenchMain() {}

  /**
   * Runs the benchmarks.
   *
   * @param args {@code lock} and its options, see {@link BenchOptions#USAGE}
   */
  public static void main(String[] args) {
    quietLogging();
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      System.out.println(new LockBenchmark(options).run());
    } catch (MutualExclusionViolation e) {
      System.err.println("MUTUAL EXCLUSION VIOLATED: " + e.getMessage());
      System.exit(1);
    } catch (Exception e) {
      System.err.println("benchmark failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /** Sets slf4j-simple to WARN unless the caller chose a level; must run before any logger. */
  static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
  }
}
