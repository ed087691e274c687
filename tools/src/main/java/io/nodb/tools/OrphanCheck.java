package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a run's orphaned locks: held (the lease has not run out) by a process of this host that no
 * longer exists. Such a lock blocks others until its lease expires. Locks of other hosts cannot be
 * judged from here and are counted separately. Stateless.
 */
final class OrphanCheck {

  /**
   * The outcome.
   *
   * @param held how many locks the run holds
   * @param otherHosts how many of them belong to other hosts (not checked)
   * @param orphans the locks whose holder process is gone
   */
  record Result(int held, int otherHosts, List<LockInfo> orphans) {}

  private OrphanCheck() {}

  /**
   * Checks one run.
   *
   * @param client the lock client
   * @param runId the run
   * @return the outcome
   */
  static Result check(LockClient client, String runId) {
    String host = ThisHost.name();
    List<LockInfo> held = client.admin().locks(runId);
    List<LockInfo> orphans = new ArrayList<>();
    int otherHosts = 0;
    for (LockInfo l : held) {
      if (!host.equals(l.host()) || l.pid() <= 0) {
        otherHosts++;
      } else if (!ProcessHandle.of(l.pid()).map(ProcessHandle::isAlive).orElse(false)) {
        orphans.add(l);
      }
    }
    return new Result(held.size(), otherHosts, List.copyOf(orphans));
  }
}
