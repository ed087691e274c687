package io.nodb.bench;

import java.lang.management.ManagementFactory;
import redis.clients.jedis.RedisClient;

/**
 * Reads where time goes during a round: the server's accumulated command time (the {@code usec}
 * fields of {@code INFO commandstats}, without the {@code INFO} calls themselves) and this JVM's
 * CPU time (all threads, user and system).
 *
 * <p>Not thread-safe; used between rounds by the benchmark thread.
 */
final class CostProbe implements AutoCloseable {

  /**
   * A reading.
   *
   * @param serverMicros accumulated server command time
   * @param cpuNanos this process's CPU time
   */
  record Reading(long serverMicros, long cpuNanos) {}

  private final RedisClient redis;
  private final com.sun.management.OperatingSystemMXBean os;

  CostProbe(String url) {
    this.redis = Clients.jedis(url);
    this.os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  }

  Reading read() {
    long micros = 0;
    for (String line : redis.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
        int at = line.indexOf("usec=");
        int end = line.indexOf(',', at);
        micros += Long.parseLong(line.substring(at + 5, end));
      }
    }
    return new Reading(micros, os.getProcessCpuTime());
  }

  @Override
  public void close() {
    redis.close();
  }
}
