package io.nodb.bench;

/** Entry point of the benchmark runner. */
public final class BenchMain {
  private BenchMain() {}

  /**
   * Runs the benchmarks.
   *
   * @param args ignored for now
   */
  public static void main(String[] args) {
    System.out.println("nodb-bench");
  }
}
