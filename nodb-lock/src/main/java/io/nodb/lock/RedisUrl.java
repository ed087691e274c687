package io.nodb.lock;

import io.nodb.lock.internal.RedisUrls;
import org.jspecify.annotations.Nullable;

/**
 * Redaction of Redis URLs for messages and logs: the one rule nodb itself uses wherever it names a
 * Redis URL, for tools built on nodb that print one. Stateless and thread-safe.
 */
public final class RedisUrl {

  private RedisUrl() {}

  /**
   * Returns {@code url} without its secrets, whether or not it is a well-formed URL: the user info
   * becomes {@code ***} (a plain ACL user name is kept: {@code user:***@host}), a query becomes
   * {@code ?***}, and an authority that cannot be told from a password is hidden whole.
   *
   * @param url the URL as given, may be null or malformed
   * @return the redacted text ({@code null} for null)
   */
  public static @Nullable String redact(@Nullable String url) {
    return RedisUrls.redact(url);
  }
}
