package io.nodb.lock.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, non-secret digests of lock tokens for logs and listings. Stateless and thread-safe. */
public final class TokenDigest {

  private TokenDigest() {}

  /**
   * Returns the first 8 hex digits of the SHA-256 of {@code token}.
   *
   * @param token the token
   * @return the digest
   */
  public static String of(String token) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
