package io.nodb.bench;

import io.nodb.lock.LockKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import redis.clients.jedis.RedisClient;

/**
 * A child JVM of the cross-JVM benchmark: contends for the shared key with a few threads, in rounds
 * the main process starts.
 *
 * <p>Arguments: {@code nodb|redisson redisUrl workerIndex threads counterKey}. Protocol, one line
 * each: the worker prints {@code READY}; for each {@code GO startEpochMillis durationMillis
 * traceFile} on standard input it runs one round from that wall-clock instant, writes the traces
 * and prints {@code DONE acquisitions counter maxInside}; {@code EXIT} ends it. Inside the critical
 * section it increments {@code counterKey} in Redis with a plain GET then SET (deliberately not
 * INCR), so an overlap between JVMs shows up as a lost update.
 */
public final class ContendWorker {

  private ContendWorker() {}

  /**
   * Runs the worker.
   *
   * @param args see the class description
   * @throws Exception if the worker fails; the main process then fails the run
   */
  public static void main(String[] args) throws Exception {
    BenchMain.quietLogging();
    String kind = args[0];
    String url = args[1];
    int index = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    String counterKey = args[4];
    try (ContendedLock lock = MultiJvmBenchmark.sharedLock(kind, url);
        RedisClient redis = Clients.jedis(url)) {
      lock.lock().unlock();
      Runnable getThenSet =
          () -> {
            String v = redis.get(counterKey);
            redis.set(counterKey, Long.toString(v == null ? 1 : Long.parseLong(v) + 1));
          };
      ContendedLoop loop = new ContendedLoop(lock, threads, "jvm" + index + "-", getThenSet);
      System.out.println("READY");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        List<String> cmd = List.of(line.trim().split(" "));
        if (cmd.get(0).equals("EXIT")) {
          break;
        }
        long startMillis = Long.parseLong(cmd.get(1));
        long startNanos =
            System.nanoTime() + (startMillis - System.currentTimeMillis()) * 1_000_000L;
        ContendedLoop.Outcome out = loop.run(startNanos, Long.parseLong(cmd.get(2)) * 1_000_000L);
        TraceFile.write(Path.of(cmd.get(3)), out.traces());
        System.out.println(
            "DONE " + out.acquisitions() + " " + out.counter() + " " + out.maxInside());
        System.out.flush();
      }
    }
  }

  /** Returns the lock key the workers share, for nodb. */
  static LockKey nodbKey() {
    return LockKey.of("bench-multi-jvm", "shared.nodb");
  }
}
