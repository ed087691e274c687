package io.nodb.recipes.internal;

import io.nodb.recipes.LoadFailure;
import java.util.Optional;

/**
 * The text formats of {@code RedisValueStore}: a stored entry is {@code <length>:<user key><body>}
 * (so the key a digest stands for can be checked and read by operators), and a failure body is
 * {@code round|negative|origin|type|message} (message last, so it may contain {@code |}). Stateless
 * and thread-safe.
 */
public final class StoredText {

  private StoredText() {}

  /**
   * Prefixes a body with its user key.
   *
   * @param key the user key
   * @param body the encoded value or failure
   * @return the stored text
   */
  public static String wrap(String key, String body) {
    return key.length() + ":" + key + body;
  }

  /**
   * Returns the body of stored text if it belongs to {@code key}.
   *
   * @param key the user key expected
   * @param text the stored text
   * @return the body, or empty if the text is malformed or belongs to another key
   */
  public static Optional<String> unwrap(String key, String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    int length;
    try {
      length = Integer.parseInt(text.substring(0, colon));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    int start = colon + 1;
    if (length != key.length()
        || text.length() < start + length
        || !text.regionMatches(start, key, 0, length)) {
      return Optional.empty();
    }
    return Optional.of(text.substring(start + length));
  }

  /**
   * Encodes a failure.
   *
   * @param f the failure
   * @return its text
   */
  public static String encodeFailure(LoadFailure f) {
    return f.round()
        + "|"
        + (f.negative() ? 1 : 0)
        + "|"
        + f.origin().replace('|', '/')
        + "|"
        + f.type().replace('|', '/')
        + "|"
        + f.message();
  }

  /**
   * Decodes a failure.
   *
   * @param text what {@link #encodeFailure} returned
   * @return the failure, or empty if the text is malformed
   */
  public static Optional<LoadFailure> decodeFailure(String text) {
    String[] p = text.split("\\|", 5);
    if (p.length != 5) {
      return Optional.empty();
    }
    try {
      return Optional.of(new LoadFailure(Long.parseLong(p[0]), p[2], p[3], p[4], "1".equals(p[1])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
