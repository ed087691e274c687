package io.nodb.testing.workers;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code name=value} arguments of the kit's worker mains, and the few things they share:
 * building a lock client for a backend argument and resolving {@code env:} references (the
 * file-based start gate is {@link WorkerGate}). Immutable. Free of Awaitility, so the CLI, which
 * shades the kit without it, can use it.
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

  /** Prints one line and flushes, so a parent polling the log sees it at once. */
  public static void say(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
