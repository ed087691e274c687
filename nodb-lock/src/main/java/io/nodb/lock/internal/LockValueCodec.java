package io.nodb.lock.internal;

import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import java.time.Duration;
import java.time.Instant;

/**
 * The one text format of a stored lock value, shared by every backend and by the Lua scripts:
 * {@code token|fence|acquiredAtMillis|leaseMillis|host|pid|thread}.
 *
 * <p>The token comes first so a Lua script can check ownership with a prefix compare; the thread
 * name comes last so it may contain {@code |}. Values written by something else decode to a {@link
 * LockInfo} with unknown fields rather than failing, so a foreign lock can still be seen and
 * forced. Stateless and thread-safe.
 */
public final class LockValueCodec {

  /** The most characters of a stored text that a message, log line or {@link LockInfo} shows. */
  public static final int EXCERPT_CHARS = 200;

  private LockValueCodec() {}

  /**
   * Returns {@code text} cut to {@link #EXCERPT_CHARS} characters, followed by {@code …(N bytes)}
   * (its UTF-8 length) when cut: what messages show of stored values someone else may have made
   * huge.
   *
   * @param text the text, may be null
   * @return the text, or its start and size
   */
  public static String excerpt(String text) {
    if (text == null || text.length() <= EXCERPT_CHARS) {
      return text;
    }
    int end = EXCERPT_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end)
        + "\u2026("
        + text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        + " bytes)";
  }

  /**
   * Returns the part of the value after the fence, which the acquire script appends.
   *
   * @param owner the owner stamp
   * @return {@code acquiredAtMillis|leaseMillis|host|pid|thread}
   */
  public static String tail(OwnerStamp owner) {
    return owner.acquiredAtMillis()
        + "|"
        + owner.leaseMillis()
        + "|"
        + owner.host().replace('|', '_')
        + "|"
        + owner.pid()
        + "|"
        + owner.thread();
  }

  /**
   * Returns the full value.
   *
   * @param token the token
   * @param fence the fence
   * @param owner the owner stamp
   * @return the encoded value
   */
  public static String encode(String token, long fence, OwnerStamp owner) {
    return token + "|" + fence + "|" + tail(owner);
  }

  /**
   * Returns the token of a stored value (everything before the first {@code |}).
   *
   * @param value the stored value
   * @return the token, or the whole value if it is foreign
   */
  public static String tokenOf(String value) {
    int bar = value.indexOf('|');
    return bar < 0 ? value : value.substring(0, bar);
  }

  /**
   * Returns whether {@code value} is held by {@code token}.
   *
   * @param value the stored value, may be null
   * @param token the token
   * @return true when the value starts with {@code token|}
   */
  public static boolean isHeldBy(String value, String token) {
    return value != null
        && value.length() > token.length()
        && value.startsWith(token)
        && value.charAt(token.length()) == '|';
  }

  /**
   * Decodes a stored value.
   *
   * @param key the lock it belongs to
   * @param value the stored value
   * @param ttlMillis the remaining TTL reported by the backend
   * @return the holder; foreign values give host {@code ?}, pid and fence -1; host and thread are
   *     cut to an {@linkplain #excerpt excerpt}
   */
  public static LockInfo decode(LockKey key, String value, long ttlMillis) {
    return decode(key, value, ttlMillis, false);
  }

  /**
   * Decodes a value whose first field is already a token digest (as kept in audit trails).
   *
   * @param key the lock it belongs to
   * @param value {@code digest|fence|acquiredAt|lease|host|pid|thread}
   * @return the holder, with a zero TTL
   */
  public static LockInfo decodeAudited(LockKey key, String value) {
    return decode(key, value, 0, true);
  }

  private static LockInfo decode(LockKey key, String value, long ttlMillis, boolean digested) {
    Duration ttl = Duration.ofMillis(Math.max(0, ttlMillis));
    String[] parts = value.split("\\|", 7);
    if (parts.length == 7) {
      try {
        return new LockInfo(
            key,
            digested ? parts[0] : TokenDigest.of(parts[0]),
            excerpt(parts[4]),
            Long.parseLong(parts[5]),
            excerpt(parts[6]),
            Instant.ofEpochMilli(Long.parseLong(parts[2])),
            Duration.ofMillis(Long.parseLong(parts[3])),
            ttl,
            Long.parseLong(parts[1]));
      } catch (NumberFormatException foreign) {
        // falls through: a value nodb did not write is still reported, as foreign
      }
    }
    return new LockInfo(
        key,
        TokenDigest.of(value),
        "?",
        -1,
        "foreign lock value",
        Instant.EPOCH,
        Duration.ZERO,
        ttl,
        -1);
  }
}
