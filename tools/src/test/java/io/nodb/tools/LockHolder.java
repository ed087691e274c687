package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import java.io.IOException;
import java.time.Duration;

/**
 * A process that holds locks until its stdin is closed, then releases them and exits: a live holder
 * on another JVM for CLI tests. Run as {@code LockHolder <redis-url> <tag> <name> [<tag>
 * <name>...]}; prints {@code held} once every lock is taken; a tag is a run id or a namespace's
 * {@code kind:id}. Single-threaded.
 */
public final class LockHolder {

  private LockHolder() {}

  /**
   * Takes the locks, waits for the end of stdin, releases.
   *
   * @param args a Redis URL, then pairs of namespace tag and lock name
   * @throws IOException if stdin cannot be read
   */
  public static void main(String[] args) throws IOException {
    try (LockClient client = LockClient.builder().redis(args[0]).build()) {
      var handles = new java.util.ArrayList<io.nodb.lock.LockHandle>();
      for (int i = 1; i + 1 < args.length; i += 2) {
        handles.add(
            client.acquire(
                LockKey.of(LockNamespace.parse(args[i]), args[i + 1]),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10)));
      }
      System.out.println("held");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the end of stdin
      }
      handles.forEach(io.nodb.lock.LockHandle::close);
    }
  }
}
