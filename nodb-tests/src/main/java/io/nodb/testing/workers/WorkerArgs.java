package io.nodb.testing.workers;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code name=value} arguments of the kit's worker mains, and the few things they share:
 * building a lock client for a backend argument, and the file-based start gate. Immutable.
 */
public final class WorkerArgs {

  private final Map<String, String> values = new HashMap<>();

  private WorkerArgs(String[] args) {
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected name=value, got '" + a + "'");
      }
      values.put(a.substring(0, eq), a.substring(eq + 1));
    }
  }

  /**
   * Parses {@code name=value} arguments.
   *
   * @param args the arguments
   * @return the parsed arguments
   */
  public static WorkerArgs parse(String... args) {
    return new WorkerArgs(args);
  }

  /** Returns a value, or {@code fallback} when absent. */
  public String get(String name, String fallback) {
    return resolve(values.getOrDefault(name, fallback));
  }

  /**
   * Returns {@code value}, or for {@code env:VARIABLE} the value of that environment variable: how
   * {@link WorkerJvm} passes Redis URLs, which must not appear on a command line.
   *
   * @param value an argument value, may be null
   * @return the value itself, or the variable's value
   * @throws IllegalArgumentException if the variable is not set
   */
  public static String resolve(String value) {
    if (value == null || !value.startsWith("env:")) {
      return value;
    }
    String v = System.getenv(value.substring(4));
    if (v == null) {
      throw new IllegalArgumentException("environment variable " + value.substring(4) + " unset");
    }
    return v;
  }

  /** Returns a required value. */
  public String get(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing argument " + name + "=...");
    }
    return resolve(v);
  }

  /** Returns a number, or {@code fallback} when absent. */
  public long number(String name, long fallback) {
    return Long.parseLong(get(name, Long.toString(fallback)));
  }

  /** Returns a duration given in milliseconds, or {@code fallback} when absent. */
  public Duration millis(String name, Duration fallback) {
    return Duration.ofMillis(number(name, fallback.toMillis()));
  }

  /** Returns a path, or null when absent or {@code -}. */
  public Path path(String name) {
    String v = values.get(name);
    return v == null || v.equals("-") ? null : Path.of(v);
  }

  /**
   * Builds the lock client named by {@code backend=} ({@code redis://…} or {@code local}, the
   * latter under {@code runsRoot=}), with {@code readTimeout=} (ms) for Redis and {@code
   * releaseOnShutdown=false} to leave held locks behind on SIGTERM.
   *
   * @return a new client
   */
  public LockClient lockClient() {
    String backend = get("backend");
    Duration read = millis("readTimeout", Duration.ofMillis(500));
    boolean releaseOnShutdown = !"false".equals(values.get("releaseOnShutdown"));
    LockClientBuilder b = LockClient.builder().releaseOnShutdown(releaseOnShutdown);
    return backend.equals("local")
        ? b.local(path("runsRoot")).build()
        : b.redis(backend).connectTimeout(read).readTimeout(read).build();
  }

  /**
   * Prints {@code ready} and waits until {@code file} exists (a start gate shared across JVMs),
   * polling every millisecond for at most {@code timeout}.
   *
   * @param file the gate file; null means no gate
   * @param timeout the longest wait
   * @throws IllegalStateException if the gate does not open in time
   */
  public static void awaitGate(Path file, Duration timeout) {
    awaitGate(file, timeout, () -> {});
  }

  /**
   * As {@link #awaitGate(Path, Duration)}, running {@code eachPoll} before every look at the file
   * (about every millisecond), e.g. to note a held lock's validity deadline while waiting.
   *
   * @param file the gate file, or null for no gate
   * @param timeout how long to wait at most
   * @param eachPoll runs before each look
   * @throws IllegalStateException if the gate did not open in time
   */
  public static void awaitGate(Path file, Duration timeout, Runnable eachPoll) {
    System.out.println("ready");
    System.out.flush();
    if (file == null) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      eachPoll.run();
      if (Files.exists(file)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("gate " + file + " did not open within " + timeout);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** Prints one line and flushes, so a parent polling the log sees it at once. */
  public static void say(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
