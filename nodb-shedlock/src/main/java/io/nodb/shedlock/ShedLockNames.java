package io.nodb.shedlock;

import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The lossless, injective mapping of ShedLock lock names onto nodb lock names.
 *
 * <p>A ShedLock name is any string; a nodb lock name is {@code /}-separated segments of {@code
 * [A-Za-z0-9._-]} of at most 255 characters. The name is encoded as one segment: {@code sl-}
 * followed by the name's UTF-8 bytes, where ASCII letters, digits and {@code -} stand for
 * themselves and every other byte (including {@code .}, {@code _} and {@code /}) is written {@code
 * _XX} with two upper-case hex digits. {@code _} occurs only as the start of an escape, so {@link
 * #decode} inverts {@link #encode} exactly and two different names never share a key; the result
 * never contains {@code .}, so it is always a valid segment. {@code invoice-export} becomes {@code
 * sl-invoice-export}, {@code reports.daily} becomes {@code sl-reports_2Edaily}. A name whose
 * encoding would exceed 255 characters (over 252 plain characters, or fewer with escapes: at least
 * 84 bytes of any kind always fit) is refused rather than shortened, because a shortened name could
 * collide. Stateless and thread-safe.
 */
public final class ShedLockNames {

  /** The longest encoded name nodb accepts. */
  public static final int MAX_ENCODED = 255;

  private static final String PREFIX = "sl-";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ShedLockNames() {}

  /**
   * Encodes a ShedLock name.
   *
   * @param shedLockName the name, not null
   * @return the nodb lock name
   * @throws IllegalArgumentException if the encoding would exceed {@value #MAX_ENCODED} characters
   */
  public static String encode(String shedLockName) {
    byte[] bytes = shedLockName.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(PREFIX.length() + bytes.length);
    out.append(PREFIX);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
        out.append((char) c);
      } else {
        out.append('_').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
      if (out.length() > MAX_ENCODED) {
        throw new IllegalArgumentException(
            "ShedLock name is too long for a nodb lock name (encoded over "
                + MAX_ENCODED
                + " characters): '"
                + shedLockName.substring(0, Math.min(80, shedLockName.length()))
                + "...'");
      }
    }
    return out.toString();
  }

  /**
   * Decodes a nodb lock name made by {@link #encode}.
   *
   * @param nodbName the nodb lock name
   * @return the ShedLock name
   * @throws IllegalArgumentException if {@code nodbName} is not an encoding made by {@link #encode}
   */
  public static String decode(String nodbName) {
    if (!nodbName.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not an encoded ShedLock name: " + nodbName);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = PREFIX.length(); i < nodbName.length(); i++) {
      char c = nodbName.charAt(i);
      if (c == '_') {
        if (i + 2 >= nodbName.length()) {
          throw new IllegalArgumentException("truncated escape in " + nodbName);
        }
        int hi = Character.digit(nodbName.charAt(i + 1), 16);
        int lo = Character.digit(nodbName.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad escape in " + nodbName);
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * Returns the nodb key of a ShedLock name in the provider's namespace.
   *
   * @param namespace the provider's lock namespace
   * @param shedLockName the ShedLock name
   * @return the key
   * @throws IllegalArgumentException if the name is too long (see {@link #encode})
   */
  static LockKey key(LockNamespace namespace, String shedLockName) {
    return LockKey.of(namespace, encode(shedLockName));
  }
}
