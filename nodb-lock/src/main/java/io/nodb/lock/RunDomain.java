package io.nodb.lock;

import io.nodb.lock.internal.RunDomainFile;
import io.nodb.lock.internal.RunDomains;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The lock domain a run is recorded for, as read from {@code <run>/.nodb-domain}: which backend
 * every process must lock the run in ({@link LockDomain}), since when and who recorded it. The
 * store and the local backend record it on a run's first lock and refuse clients of another domain
 * ({@link LockDomainException}); this type is how tools read the record and, explicitly, move a run
 * to another domain.
 *
 * <p>The record is read only from a regular file of at most 4 KiB, never through a link. Immutable
 * and thread-safe.
 *
 * @param domain the recorded domain
 * @param since when it was recorded
 * @param by who recorded it ({@code host:pid})
 * @param fields every field of the record, in file order (a move adds {@code moved-from}, {@code
 *     moved-by}, {@code moved-reason}, ...)
 */
public record RunDomain(LockDomain domain, Instant since, String by, Map<String, String> fields) {

  /** The record's file name in a run directory. */
  public static final String FILE_NAME = RunDomainFile.NAME;

  /**
   * Checks and copies the fields.
   *
   * @throws NullPointerException if a field is null
   */
  public RunDomain {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(by, "by");
    fields = Map.copyOf(fields);
  }

  /**
   * Reads the record of a run.
   *
   * @param runDir the run directory
   * @return the record; empty if the run has none
   * @throws LockDomainException if the record is a link, not a regular file, too big or malformed
   */
  public static Optional<RunDomain> read(Path runDir) {
    return RunDomainFile.read(runDir).map(RunDomain::of);
  }

  /**
   * Moves a run to another lock domain: replaces its record (atomically), keeping where it came
   * from, who moved it, when and why. The caller makes sure no lock of the run is held in its
   * current domain first (as {@code nodb domain --move-to} does).
   *
   * @param runDir the run directory
   * @param to the new domain
   * @param by who moves it ({@code host:pid})
   * @param reason why, for the record
   * @return the new record
   * @throws LockDomainException if the current record is unusable or the new one cannot be written
   */
  public static RunDomain move(Path runDir, LockDomain to, String by, String reason) {
    return of(RunDomainFile.replace(runDir, to, by, reason));
  }

  /**
   * Returns the domain a client locks in. A Redis server that lost its deployment id (a restart
   * without persistence) adopts {@code adopt}, the id a run records for it, as the store does when
   * it checks a run; this writes that id into the server (SET NX) and nothing else.
   *
   * @param client the client
   * @param adopt the recorded deployment id to adopt, or null to adopt nothing (a server without an
   *     id then gets a new one)
   * @return the client's domain
   * @throws LockBackendUnavailableException if the backend cannot be reached
   */
  public static LockDomain domainOf(LockClient client, @Nullable String adopt) {
    return RunDomains.domainOf(client, adopt);
  }

  private static RunDomain of(RunDomainFile.Record r) {
    return new RunDomain(r.domain(), r.since(), r.by(), r.fields());
  }
}
