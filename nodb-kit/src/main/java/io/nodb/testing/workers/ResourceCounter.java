package io.nodb.testing.workers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A deliberately naive protected resource: a number in a text file, incremented by read, add one,
 * write — with no atomicity of its own. Only the lock around it prevents lost updates, so under a
 * working lock its final value equals the number of increments, and under a broken one it does not.
 * Stateless and thread-safe in the sense that it shares nothing but the file.
 */
public final class ResourceCounter {

  private ResourceCounter() {}

  /**
   * Increments the number in {@code file} (a missing or unreadable file counts as 0).
   *
   * @param file the resource
   * @throws IOException if it cannot be written
   */
  public static void increment(Path file) throws IOException {
    long n = read(file);
    Thread.yield(); // widen the read-modify-write window a little, as real work would
    Files.write(file, Long.toString(n + 1).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Reads the number in {@code file}.
   *
   * @param file the resource
   * @return the number, 0 if the file is missing, empty or not a number
   * @throws IOException if it cannot be read
   */
  public static long read(Path file) throws IOException {
    try {
      String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return s.isEmpty() ? 0 : Long.parseLong(s);
    } catch (NoSuchFileException | NumberFormatException absent) {
      return 0;
    }
  }
}
