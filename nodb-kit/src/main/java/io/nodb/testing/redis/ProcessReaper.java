package io.nodb.testing.redis;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kills, at JVM exit, every server process the kit started and has not stopped yet, so a crashed or
 * interrupted run leaves no orphan {@code redis-server}. A JVM has one set of shutdown hooks, which
 * is why this registry is static. Thread-safe.
 */
final class ProcessReaper {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private ProcessReaper() {}

  static void register(Process process) {
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::reapAll, "nodb-redis-reaper"));
    }
    LIVE.add(process);
  }

  static void unregister(Process process) {
    LIVE.remove(process);
  }

  private static void reapAll() {
    // SIGKILL also ends a SIGSTOPped process, so paused servers go too.
    LIVE.forEach(Process::destroyForcibly);
  }
}
