package io.nodb.lock.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates lock tokens: unique per acquisition (not per thread or process) and hard to guess.
 *
 * <p>A token is 16 bytes, base64url (22 characters): first the factory's {@link #tag()} (6 random
 * bytes drawn once per factory, 8 characters), which lets a backend script tell that a holder
 * belongs to the same client as a waiter (who then waits locally, so no wake-up key is written for
 * it); then 10 bytes that are unique per acquisition and hard to guess: 16 bits of a random seed
 * xor the counter and a SplitMix64 step of a secret salt plus the counter, so consecutive tokens
 * look unrelated. Drawing fresh secure randomness for every acquisition would cost more than the
 * Redis round trip on a busy host; uniqueness comes from the counter, unguessability from the salt.
 * Thread-safe.
 */
final class TokenFactory {

  /** The length of {@link #tag()}: 6 bytes in base64url. */
  static final int TAG_LENGTH = 8;

  private final byte[] tagBytes = new byte[6];
  private final String tag;
  private final long seed;
  private final long salt;
  private final AtomicLong counter = new AtomicLong();

  TokenFactory() {
    SecureRandom random = new SecureRandom();
    random.nextBytes(tagBytes);
    this.tag = Base64.getUrlEncoder().withoutPadding().encodeToString(tagBytes);
    this.seed = random.nextLong();
    this.salt = random.nextLong();
  }

  /** Returns the prefix every token of this factory starts with ({@value #TAG_LENGTH} chars). */
  String tag() {
    return tag;
  }

  String next() {
    long n = counter.incrementAndGet();
    byte[] bytes = new byte[16];
    System.arraycopy(tagBytes, 0, bytes, 0, 6);
    long head = seed ^ n;
    bytes[6] = (byte) (head >>> 8);
    bytes[7] = (byte) head;
    putLong(bytes, 8, mix(salt + n * 0x9E3779B97F4A7C15L));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
