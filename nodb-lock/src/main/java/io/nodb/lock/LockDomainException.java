package io.nodb.lock;

import io.nodb.NoDbException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a client may not lock a run because the run is recorded for another lock domain (for
 * example a worker started without {@code NODB_REDIS_URL} on a run that other workers lock in
 * Redis), or because the run's domain record ({@code <run>/.nodb-domain}) is unreadable or not a
 * regular file. The message names both domains, the record and how to fix the configuration;
 * nothing was locked or written.
 */
public final class LockDomainException extends NoDbException {

  private final transient Path runDir;
  private final @Nullable LockDomain recorded;
  private final @Nullable LockDomain client;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and how to fix it
   * @param runDir the run directory
   * @param recorded the domain the run is recorded for, or null if the record is unreadable
   * @param client the domain of the client that was refused, or null if the record is unreadable
   */
  public LockDomainException(
      String message, Path runDir, @Nullable LockDomain recorded, @Nullable LockDomain client) {
    super(message);
    this.runDir = runDir;
    this.recorded = recorded;
    this.client = client;
  }

  /** Returns the run directory. */
  public Path runDir() {
    return runDir;
  }

  /** Returns the domain the run is recorded for; empty if its record could not be read. */
  public Optional<LockDomain> recorded() {
    return Optional.ofNullable(recorded);
  }

  /** Returns the domain of the refused client; empty if the record could not be read. */
  public Optional<LockDomain> client() {
    return Optional.ofNullable(client);
  }
}
