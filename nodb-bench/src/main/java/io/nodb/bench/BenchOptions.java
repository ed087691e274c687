package io.nodb.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line of {@code lock}: where Redis is, where the raw results go, and how long to run.
 * Immutable.
 *
 * @param redisUrl an existing Redis to use, or null to start a private {@code redis-server}
 * @param outDir where {@code <date>-lock.md} is written
 * @param quick whether to run a short smoke version (numbers not meant for publication)
 * @param args the arguments as given, for the report
 */
record BenchOptions(String redisUrl, Path outDir, boolean quick, List<String> args) {

  static final String USAGE =
      "usage: java -jar nodb-bench.jar lock [--redis redis://127.0.0.1:PORT] [--out DIR]"
          + " [--quick]";

  /**
   * Parses {@code lock [options]}.
   *
   * @throws IllegalArgumentException naming the bad argument
   */
  static BenchOptions parse(String[] argv) {
    List<String> args = List.of(argv);
    if (args.isEmpty() || !args.get(0).equals("lock")) {
      throw new IllegalArgumentException(USAGE);
    }
    String redis = null;
    Path out = Path.of("docs", "bench");
    boolean quick = false;
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--redis" -> redis = value(args, ++i);
        case "--out" -> out = Path.of(value(args, ++i));
        case "--quick" -> quick = true;
        default ->
            throw new IllegalArgumentException("unknown argument " + args.get(i) + "\n" + USAGE);
      }
    }
    return new BenchOptions(redis, out, quick, args);
  }

  private static String value(List<String> args, int i) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(args.get(i - 1) + " needs a value\n" + USAGE);
    }
    return args.get(i);
  }

  int warmupOps() {
    return quick ? 2_000 : 20_000;
  }

  int pairRounds() {
    return quick ? 4 : 20;
  }

  int opsPerRound() {
    return quick ? 1_000 : 5_000;
  }

  int contendedRounds() {
    return quick ? 1 : 3;
  }

  long contendedWarmupMillis() {
    return quick ? 500 : 2_000;
  }

  long multiJvmWarmupMillis() {
    return quick ? 1_000 : 5_000;
  }

  long contendedRoundMillis() {
    return quick ? 1_000 : 5_000;
  }
}
