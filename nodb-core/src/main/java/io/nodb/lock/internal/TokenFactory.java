package io.nodb.lock.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates lock tokens: unique per acquisition (not per thread or process) and hard to guess.
 *
 * <p>A token is 16 bytes, base64url: 64 random bits drawn once per factory from {@link
 * SecureRandom}, mixed with a 64-bit counter through a SplitMix64 step so consecutive tokens look
 * unrelated. Drawing fresh secure randomness for every acquisition would cost more than the Redis
 * round trip on a busy host; uniqueness comes from the counter, unguessability from the seed.
 * Thread-safe.
 */
final class TokenFactory {

  private final long seed;
  private final long salt;
  private final AtomicLong counter = new AtomicLong();

  TokenFactory() {
    SecureRandom random = new SecureRandom();
    this.seed = random.nextLong();
    this.salt = random.nextLong();
  }

  String next() {
    long n = counter.incrementAndGet();
    byte[] bytes = new byte[16];
    putLong(bytes, 0, seed ^ n);
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
