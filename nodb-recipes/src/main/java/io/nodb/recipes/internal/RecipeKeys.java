package io.nodb.recipes.internal;

import io.nodb.lock.LockNamespace;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How recipe names and user keys map onto lock keys and Redis keys.
 *
 * <p>A recipe instance has a short name (a cache name, a job namespace) that becomes the lock
 * namespace {@code <kind>:<name>} ({@code flight:prices}, {@code job:nightly}; never a run's, since
 * a run id has no {@code :}), so all its locks, values and failure records share one Redis hash
 * tag. A user key may be any string; it becomes the first 40 hex digits (160 bits) of its SHA-256,
 * which always satisfies the lock-name grammar and cannot escape the run's key space. Stateless and
 * thread-safe.
 */
public final class RecipeKeys {

  private RecipeKeys() {}

  /**
   * Returns the lock namespace of a recipe instance: {@code kind:name}.
   *
   * @param kind {@link LockNamespace#FLIGHT} or {@link LockNamespace#JOB}
   * @param name the recipe's name (a cache name, a job namespace)
   * @return the namespace
   * @throws io.nodb.InvalidLockNamespaceException naming the kind, if the name is not 1-128
   *     characters of {@code [A-Za-z0-9._-]} starting with a letter or digit, with no {@code ..}
   */
  public static LockNamespace namespace(String kind, String name) {
    return LockNamespace.of(kind, name);
  }

  /**
   * Returns the 40-hex-digit digest of a user key.
   *
   * @param userKey any string
   * @return lower-case hex, 40 characters
   */
  public static String digest(String userKey) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(userKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /**
   * Returns the Redis key {@code nodb-<kind>:{<namespace tag>}:<digest of userKey>}.
   *
   * @param kind what the key holds, e.g. {@code sf-value}
   * @param namespace the recipe's namespace (its tag is the hash tag)
   * @param userKey the user's key
   * @return the Redis key
   */
  public static String redisKey(String kind, LockNamespace namespace, String userKey) {
    return "nodb-" + kind + ":{" + namespace.tag() + "}:" + digest(userKey);
  }
}
