package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockKey;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process that takes a lock with a 2-minute lease and dies without releasing it, leaving an
 * orphaned lock (lease alive, holder process gone) for {@code nodb doctor} to find. Run by tests as
 * a separate JVM: {@code OrphanMaker <redis-url | runs-root> <run-id> <name>}.
 */
public final class OrphanMaker {

  private OrphanMaker() {}

  /**
   * Takes the lock and halts.
   *
   * @param args backend (a {@code redis://} URL or a runs root), run id, lock name
   */
  public static void main(String[] args) {
    var builder = LockClient.builder();
    if (args[0].startsWith("redis")) {
      builder.redis(args[0]);
    } else {
      builder.local(Path.of(args[0]));
    }
    LockClient client = builder.build();
    client.acquire(LockKey.of(args[1], args[2]), Duration.ofMinutes(2), Duration.ofSeconds(10));
    System.out.println("held");
    System.out.flush();
    // No release, no shutdown hooks: the process is gone while its lease lives on.
    Runtime.getRuntime().halt(0);
  }
}
