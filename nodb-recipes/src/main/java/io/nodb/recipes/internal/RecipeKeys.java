package io.nodb.recipes.internal;

import io.nodb.lock.LockKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How recipe names and user keys map onto lock keys and Redis keys.
 *
 * <p>A recipe instance has a short name (a cache name, a job namespace) that becomes the lock run
 * id {@code <prefix>-<name>}, so all its locks, values and failure records share one Redis hash
 * tag. A user key may be any string; it becomes the first 40 hex digits (160 bits) of its SHA-256,
 * which always satisfies the lock-name grammar and cannot escape the run's key space. Stateless and
 * thread-safe.
 */
public final class RecipeKeys {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private RecipeKeys() {}

  /**
   * Returns the run id {@code prefix-name}.
   *
   * @param prefix a fixed prefix such as {@code sf}
   * @param name the recipe's name
   * @return the run id
   * @throws IllegalArgumentException if the name is not 1-100 characters of {@code [A-Za-z0-9._-]}
   *     starting with a letter or digit
   */
  public static String runId(String prefix, String name) {
    if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
      throw new IllegalArgumentException(
          "invalid recipe name "
              + (name == null ? "null" : "'" + name + "'")
              + ": expected 1-100 characters of [A-Za-z0-9._-], starting with a letter or digit,"
              + " with no '..'");
    }
    return LockKey.requireValidRunId(prefix + "-" + name);
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
   * Returns the Redis key {@code nodb-<kind>:{runId}:<digest of userKey>}.
   *
   * @param kind what the key holds, e.g. {@code sf-value}
   * @param runId the run id (the hash tag)
   * @param userKey the user's key
   * @return the Redis key
   */
  public static String redisKey(String kind, String runId, String userKey) {
    return "nodb-" + kind + ":{" + runId + "}:" + digest(userKey);
  }
}
