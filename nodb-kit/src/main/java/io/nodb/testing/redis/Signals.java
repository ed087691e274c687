package io.nodb.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sends POSIX signals to one process by pid with the {@code kill} command, and reads whether Linux
 * reports a process as stopped. Never addresses processes by name. Stateless.
 */
final class Signals {

  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private Signals() {}

  /**
   * Runs {@code kill -<signal> <pid>} and waits for it.
   *
   * @throws IllegalStateException if {@code kill} cannot run or fails (its output is included)
   */
  static void send(long pid, String signal) {
    Process kill;
    try {
      kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + signal + " " + pid, e);
    }
    try {
      if (!kill.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " " + pid + " did not finish");
      }
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (kill.exitValue() != 0) {
        throw new IllegalStateException(
            "kill -" + signal + " " + pid + " exited " + kill.exitValue() + ": " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kill -" + signal + " " + pid, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output of kill -" + signal, e);
    }
  }

  /**
   * Tells whether the process is stopped by a signal (state {@code T} in {@code /proc/<pid>/stat});
   * empty where {@code /proc} does not exist or the process is gone.
   */
  static Optional<Boolean> isStopped(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String line = Files.readString(stat, StandardCharsets.US_ASCII);
      // The state follows the command name, which is in parentheses and may contain spaces.
      int end = line.lastIndexOf(')');
      return Optional.of(end >= 0 && end + 2 < line.length() && line.charAt(end + 2) == 'T');
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + stat, e);
    }
  }
}
