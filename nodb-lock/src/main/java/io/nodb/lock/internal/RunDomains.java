package io.nodb.lock.internal;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockDomain;
import io.nodb.lock.LockDomainException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces one lock domain per run: before a client locks a run, the run's record ({@link
 * RunDomainFile}) must name the client's domain; a run without a record is recorded for it. A Redis
 * server that lost its deployment id (a restart without persistence) adopts the id of the first
 * recorded run a client checks, so its runs stay usable. Checked runs are remembered with the
 * record's file signature, so a repeated check costs one {@code stat}. Thread-safe.
 */
public final class RunDomains {

  private record Checked(Object fileKey, long size, long mtime, LockDomain domain) {}

  private final Map<Path, Checked> checked = new ConcurrentHashMap<>();
  private final java.util.Set<Path> unrecordable = ConcurrentHashMap.newKeySet();

  /**
   * Checks (and on first use records) the lock domain of a run for a client.
   *
   * @param runDir the run directory (must exist)
   * @param client the client about to lock it
   * @return the run's domain
   * @throws LockDomainException if the run is recorded for another domain or its record is unusable
   */
  public LockDomain check(Path runDir, LockClient client) {
    return check(runDir, adopt -> domainOf(client, adopt));
  }

  /**
   * Checks (and on first use records) the lock domain of a run for a backend's own domain.
   *
   * @param runDir the run directory (must exist)
   * @param mine the caller's domain, given the recorded Redis deployment id (or null) to adopt
   * @return the run's domain
   * @throws LockDomainException if the run is recorded for another domain or its record is unusable
   */
  public LockDomain check(Path runDir, java.util.function.Function<String, LockDomain> mine) {
    Path dir = runDir.toAbsolutePath().normalize();
    Checked c = checked.get(dir);
    if (c != null && c.equals(signature(dir, c.domain))) {
      return c.domain;
    }
    var recorded = RunDomainFile.read(dir);
    LockDomain domain = mine.apply(recorded.map(r -> r.domain().deployment()).orElse(null));
    RunDomainFile.Record r;
    if (recorded.isPresent()) {
      r = recorded.get();
    } else {
      try {
        r = RunDomainFile.recordIfAbsent(dir, domain, HostIdentity.current().describe());
      } catch (java.io.UncheckedIOException e) {
        // a run nobody may write (read-only, no permission, full disk) cannot be recorded; its
        // lock is still taken, and the next lock tries to record it again
        if (unrecordable.add(dir)) {
          LockLog.warn("the lock domain of " + dir + " is not recorded: " + e.getMessage());
        }
        return domain;
      }
    }
    if (!r.domain().sameAs(domain)) {
      throw mismatch(dir, r, domain);
    }
    Checked now = signature(dir, r.domain());
    if (now != null) {
      checked.put(dir, now);
    }
    return r.domain();
  }

  /**
   * Returns a client's domain, adopting {@code adopt} as the deployment id if the client's Redis
   * has none (a restart without persistence).
   *
   * @param client the client
   * @param adopt the recorded deployment id, or null
   * @return the domain
   */
  public static LockDomain domainOf(LockClient client, String adopt) {
    if (client instanceof DefaultLockClient d) {
      return d.domain(adopt);
    }
    return client.domain();
  }

  private static Checked signature(Path dir, LockDomain domain) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(
              RunDomainFile.path(dir), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return new Checked(
          a.fileKey(), a.size(), a.lastModifiedTime().toMillis(), Objects.requireNonNull(domain));
    } catch (IOException e) {
      return null; // not remembered: the next check reads the record again
    }
  }

  static LockDomainException mismatch(Path dir, RunDomainFile.Record r, LockDomain mine) {
    String fix =
        r.domain().backend() == LockDomain.Backend.REDIS
            ? "set NODB_REDIS_URL (or --redis) to that Redis deployment"
            : mine.backend() == LockDomain.Backend.REDIS
                ? "unset NODB_REDIS_URL (and --redis) to use the local lock files"
                : "use the Redis deployment the run is recorded for";
    return new LockDomainException(
        "run "
            + dir
            + " is locked in "
            + r.domain().describe()
            + " (recorded "
            + r.since()
            + " by "
            + r.by()
            + "), but this client uses "
            + mine.describe()
            + "; nothing was locked. To fix: "
            + fix
            + ", or move the run with 'nodb domain "
            + dir
            + " --move-to ...' once no lock is held",
        dir,
        r.domain(),
        mine);
  }
}
