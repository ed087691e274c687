package io.nodb.lock;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the locks of a run live: local lock files in the run directory, or one Redis deployment. A
 * run records the domain it is first locked in ({@code <run>/.nodb-domain}); a client of another
 * domain is refused ({@link LockDomainException}), so two processes can never lock one run in two
 * places. A Redis deployment is identified by an id kept in the server (key {@code nodb-domain}),
 * not by its URL, which differs between hosts ({@code localhost} here, {@code cache.internal}
 * there).
 *
 * <p>Immutable and thread-safe.
 *
 * @param backend local files or Redis
 * @param deployment the Redis deployment id (32 hex digits), or {@code null} for local files
 * @param endpoint where the domain was seen, without credentials ({@code redis://host:port/db}, or
 *     {@code local})
 */
public record LockDomain(Backend backend, @Nullable String deployment, String endpoint) {

  /** The kinds of lock backend. */
  public enum Backend {
    /** Lock files under each run directory; one host. */
    LOCAL,
    /** A Redis deployment; many hosts. */
    REDIS
  }

  /** The domain of local lock files. */
  public static final LockDomain LOCAL = new LockDomain(Backend.LOCAL, null, "local");

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if {@code backend} or {@code endpoint} is null, or a Redis domain
   *     has no deployment id
   */
  public LockDomain {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(endpoint, "endpoint");
    if (backend == Backend.REDIS) {
      Objects.requireNonNull(deployment, "deployment");
    }
  }

  /**
   * Returns a Redis domain.
   *
   * @param deployment the deployment id kept in the server
   * @param endpoint the URL without credentials
   * @return the domain
   */
  public static LockDomain redis(String deployment, String endpoint) {
    return new LockDomain(Backend.REDIS, deployment, endpoint);
  }

  /**
   * Returns whether a process in {@code other} locks in the same place: both local, or both the
   * same Redis deployment (whatever URL each uses to reach it).
   *
   * @param other the other domain
   * @return true if the same
   */
  public boolean sameAs(LockDomain other) {
    return backend == other.backend
        && (backend == Backend.LOCAL || deployment.equals(other.deployment));
  }

  /** Returns {@code local lock files} or {@code Redis deployment 1a2b3c4d (redis://host:port)}. */
  public String describe() {
    return backend == Backend.LOCAL
        ? "local lock files"
        : "Redis deployment "
            + deployment.substring(0, Math.min(8, deployment.length()))
            + " ("
            + endpoint
            + ")";
  }

  @Override
  public String toString() {
    return "LockDomain[" + describe() + "]";
  }
}
