package io.nodb.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Describes the machine and software a run measured: CPUs, CPU model, OS, JVM, redis-server and
 * client library versions. Immutable after {@link #detect()}.
 *
 * @param cpus available processors
 * @param cpuModel from {@code /proc/cpuinfo}, or {@code unknown}
 * @param os name and kernel
 * @param java runtime name and version
 * @param redisServer first line of {@code redis-server --version}
 * @param jedis the Jedis version
 * @param redisson the Redisson version
 */
record Environment(
    int cpus,
    String cpuModel,
    String os,
    String java,
    String redisServer,
    String jedis,
    String redisson) {

  static Environment detect() {
    return new Environment(
        Runtime.getRuntime().availableProcessors(),
        readCpuModel(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.runtime.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")",
        command("redis-server", "--version"),
        library("redis.clients", "jedis"),
        library("org.redisson", "redisson"));
  }

  /** Returns the 1, 5 and 15 minute load averages from {@code /proc/loadavg}, or {@code ?}. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /**
   * Returns the machine-wide CPU tick counters of {@code /proc/stat} (user, nice, system, idle,
   * iowait, irq, softirq, steal), or an empty array if unavailable.
   */
  static long[] cpuTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long[] ticks = new long[8];
      for (int i = 0; i < ticks.length; i++) {
        ticks[i] = Long.parseLong(f[i + 1]);
      }
      return ticks;
    } catch (IOException | RuntimeException e) {
      return new long[0];
    }
  }

  /** Describes busy, idle and hypervisor-steal shares between two {@link #cpuTicks()} readings. */
  static String describeTicks(long[] before, long[] after) {
    if (before.length != 8 || after.length != 8) {
      return "CPU shares unavailable";
    }
    long[] d = new long[8];
    long total = 0;
    for (int i = 0; i < 8; i++) {
      d[i] = after[i] - before[i];
      total += d[i];
    }
    if (total == 0) {
      return "CPU shares unavailable";
    }
    return String.format(
        "machine CPU during the run: %.0f%% busy, %.0f%% idle, %.1f%% stolen by the hypervisor",
        100.0 * (d[0] + d[1] + d[2] + d[5] + d[6]) / total,
        100.0 * (d[3] + d[4]) / total,
        100.0 * d[7] / total);
  }

  private static String readCpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String command(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return out.lines().findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String library(String group, String artifact) {
    String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = Environment.class.getResourceAsStream(res)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
