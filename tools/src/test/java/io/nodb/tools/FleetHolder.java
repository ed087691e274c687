package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that holds one lock ({@code climate.nodb}) in each of many runs until its stdin is
 * closed, then releases them: the live holders of a fleet for CLI tests. Run as {@code FleetHolder
 * <redis-url | runs-root> <run-prefix> <count>}, runs {@code <prefix>-0000}...; prints {@code held}
 * once every lock is taken. Single-threaded.
 */
public final class FleetHolder {

  private FleetHolder() {}

  /**
   * Takes the locks, waits for the end of stdin, releases.
   *
   * @param args backend, run prefix, number of runs
   * @throws IOException if stdin cannot be read
   */
  public static void main(String[] args) throws IOException {
    var builder = LockClient.builder();
    if (args[0].startsWith("redis")) {
      builder.redis(args[0]);
    } else {
      builder.local(Path.of(args[0]));
    }
    try (LockClient client = builder.build()) {
      List<LockHandle> handles = new ArrayList<>();
      int count = Integer.parseInt(args[2]);
      for (int i = 0; i < count; i++) {
        String run = String.format(java.util.Locale.ROOT, "%s-%04d", args[1], i);
        handles.add(
            client.acquire(
                LockKey.of(run, "climate.nodb"), Duration.ofSeconds(90), Duration.ofSeconds(10)));
      }
      System.out.println("held");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the end of stdin
      }
      handles.forEach(LockHandle::close);
    }
  }
}
