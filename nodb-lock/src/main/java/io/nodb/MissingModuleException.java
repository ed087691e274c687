package io.nodb;

/**
 * Thrown when a feature is asked for whose nodb module is not on the class path or module path: a
 * Redis URL (for locks, the store's Redis cache or a recipe's Redis value store) without {@code
 * io.nodb:nodb-lock-redis}. The message names the artifact to add; {@link #artifact()} returns it.
 *
 * <p>It is a configuration error, found when the client or store is built, never later.
 */
public class MissingModuleException extends NoDbException {

  private final String artifact;

  /**
   * Creates the exception.
   *
   * @param feature what was asked for, e.g. {@code "Redis"}
   * @param artifact the Maven coordinates of the module that provides it, {@code group:artifact}
   */
  public MissingModuleException(String feature, String artifact) {
    super(
        feature
            + " support is not on the class path or module path: add the dependency "
            + artifact
            + " (io.nodb:nodb-core includes it)");
    this.artifact = artifact;
  }

  /**
   * Returns the module to add.
   *
   * @return its Maven coordinates, {@code group:artifact}
   */
  public String artifact() {
    return artifact;
  }
}
