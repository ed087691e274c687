package io.nodb.lock.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, non-secret digests of lock tokens for logs and listings. Stateless and thread-safe. */
public final class TokenDigest {

  private TokenDigest() {}

  /**
   * Returns the first 8 hex digits of the SHA-1 of {@code token} (the same digest the Lua scripts
   * compute with {@code redis.sha1hex}, so audit entries written on the server match).
   *
   * @param token the token
   * @return the digest
   */
  public static String of(String token) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-1").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
  }
}
