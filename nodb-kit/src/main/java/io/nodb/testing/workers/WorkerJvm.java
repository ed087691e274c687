package io.nodb.testing.workers;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A worker JVM started on the current classpath, with its combined output captured to a file. Tests
 * (and the CLI's scenarios) start several to cross process boundaries, wait for marker lines in
 * their output, send them lines on stdin, wait for them to exit with a deadline, kill (SIGKILL)
 * them, or pause (SIGSTOP) and resume (SIGCONT) them — always by their own PID, never by name.
 *
 * <p>A daemon thread per worker copies its output, line by line, to the log file and then to an
 * optional listener, and wakes {@link #awaitLine} waiters: no polling. Thread-safety: the waits,
 * {@link #send} and the output readers may be called from any thread; the owner closes it. Waits
 * that fail throw {@link IllegalStateException} with the worker's output.
 *
 * <p>A Redis URL among the arguments (whole, or as the value of {@code name=}) never reaches the
 * worker's command line, which every local user can read with {@code ps}: it is replaced by {@code
 * env:}{@value #URL_VARIABLE} and passed in that environment variable; worker mains read it back
 * with {@link WorkerArgs#resolve(String)}.
 */
public final class WorkerJvm implements AutoCloseable {

  /** The environment variable (with a numeric suffix after the first) carrying Redis URLs. */
  public static final String URL_VARIABLE = "NODB_WORKER_REDIS_URL";

  private final Process process;
  private final Path log;
  private final Object progress = new Object();
  private boolean ended; // guarded by progress: the output reached its end
  private Exception pumpFailure; // guarded by progress

  /** Workers still running when the test JVM exits are killed, so none outlives a crashed run. */
  private static final java.util.Set<Process> LIVE =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> LIVE.stream().filter(Process::isAlive).forEach(Process::destroyForcibly),
                "nodb-worker-reaper"));
  }

  private WorkerJvm(Process process, Path log, Consumer<String> onLine) {
    this.process = process;
    this.log = log;
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
    Thread pump = new Thread(() -> pump(onLine), "nodb-worker-" + process.pid() + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Copies the worker's output to the log file and the listener until it ends. */
  private void pump(Consumer<String> onLine) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out =
            Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line);
        out.write('\n');
        out.flush();
        try {
          onLine.accept(line);
        } catch (RuntimeException e) {
          failed(e); // and keep copying: a full pipe would stall the worker
        }
        synchronized (progress) {
          progress.notifyAll();
        }
      }
    } catch (IOException e) {
      failed(e);
    } finally {
      synchronized (progress) {
        ended = true;
        progress.notifyAll();
      }
    }
  }

  private void failed(Exception e) {
    synchronized (progress) {
      if (pumpFailure == null) {
        pumpFailure = e;
      }
    }
  }

  /**
   * Starts {@code mainClass} with {@code args} in a new JVM on this JVM's classpath.
   *
   * @param mainClass the class with a {@code main} method
   * @param logDir where to write the worker's combined stdout and stderr
   * @param args the arguments
   * @return the running worker
   * @throws IOException if it cannot be started
   */
  public static WorkerJvm start(Class<?> mainClass, Path logDir, String... args)
      throws IOException {
    return start(mainClass, logDir, List.of(), args);
  }

  /**
   * Starts {@code mainClass} with extra JVM options (e.g. {@code -Dname=value}) and {@code args}.
   *
   * @param mainClass the class with a {@code main} method
   * @param logDir where to write the worker's combined stdout and stderr
   * @param jvmOptions options placed before the class name
   * @param args the arguments
   * @return the running worker
   * @throws IOException if it cannot be started
   */
  public static WorkerJvm start(
      Class<?> mainClass, Path logDir, List<String> jvmOptions, String... args) throws IOException {
    return start(mainClass, logDir, jvmOptions, line -> {}, List.of(args));
  }

  /**
   * Starts {@code mainClass} with extra JVM options and {@code args}, telling {@code onLine} of
   * every line the worker prints (stdout and stderr), after it is in the log file.
   *
   * @param mainClass the class with a {@code main} method
   * @param logDir where to write the worker's combined stdout and stderr
   * @param jvmOptions options placed before the class name
   * @param onLine called on the worker's output thread, one line at a time; what it throws is kept
   *     and reported by the waits
   * @param args the arguments (Redis URLs among them go in the environment, see the class doc)
   * @return the running worker
   * @throws IOException if it cannot be started
   */
  public static WorkerJvm start(
      Class<?> mainClass,
      Path logDir,
      List<String> jvmOptions,
      Consumer<String> onLine,
      List<String> args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    java.util.Map<String, String> secrets = new java.util.LinkedHashMap<>();
    for (String a : args) {
      cmd.add(withoutUrl(a, secrets));
    }
    Files.createDirectories(logDir);
    Path log = Files.createTempFile(logDir, mainClass.getSimpleName() + "-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("NODB_REDIS_URL");
    pb.environment().putAll(secrets);
    return new WorkerJvm(pb.start(), log, onLine);
  }

  /**
   * Returns {@code arg} with a Redis URL (the whole argument, or the value after {@code name=})
   * replaced by {@code env:VARIABLE}, recording the URL under that variable in {@code secrets}.
   */
  static String withoutUrl(String arg, java.util.Map<String, String> secrets) {
    int eq = arg.indexOf('=');
    String value = eq > 0 && !isUrl(arg) ? arg.substring(eq + 1) : arg;
    if (!isUrl(value)) {
      return arg;
    }
    String variable = null;
    for (var e : secrets.entrySet()) {
      if (e.getValue().equals(value)) {
        variable = e.getKey();
      }
    }
    if (variable == null) {
      variable = secrets.isEmpty() ? URL_VARIABLE : URL_VARIABLE + "_" + secrets.size();
      secrets.put(variable, value);
    }
    return arg.substring(0, arg.length() - value.length()) + "env:" + variable;
  }

  /** Whether {@code s} starts with a Redis scheme, in any case (URI schemes are case-blind). */
  private static boolean isUrl(String s) {
    return s.regionMatches(true, 0, "redis://", 0, 8)
        || s.regionMatches(true, 0, "rediss://", 0, 9);
  }

  /** Returns the command line the worker was started with. */
  public List<String> commandLine() {
    return process.info().arguments().map(List::of).orElse(List.of());
  }

  /** Returns the worker's PID. */
  public long pid() {
    return process.pid();
  }

  /**
   * Waits for the worker to exit.
   *
   * @param timeout the longest wait
   * @return the exit code; its output is then complete in {@link #output()}
   * @throws IllegalStateException if it does not exit in time (it is killed) — with its log
   */
  public int await(Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        || !awaitOutputEnd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "worker " + pid() + " did not finish within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  /** Returns whether the worker process is still running (a paused one is). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Returns the file the worker's output goes to. */
  public Path logFile() {
    return log;
  }

  /**
   * Waits until the worker printed a line starting with {@code prefix}; woken by each new line.
   *
   * @param prefix the marker
   * @param timeout the longest wait
   * @return the first such line, prefix removed
   * @throws IllegalStateException if none appears in time or the worker's output ends first — with
   *     its log
   */
  public String awaitLine(String prefix, Duration timeout) throws IOException {
    return awaitLines(prefix, 1, timeout).get(0);
  }

  /**
   * Waits until the worker printed at least {@code count} lines starting with {@code prefix}; woken
   * by each new line, no polling.
   *
   * @param prefix the marker
   * @param count how many such lines
   * @param timeout the longest wait
   * @return every such line so far (at least {@code count}), prefix removed
   * @throws IllegalStateException if fewer appear in time or the worker's output ends first — with
   *     its log
   */
  public List<String> awaitLines(String prefix, int count, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (true) {
        List<String> found = lines(prefix);
        if (found.size() >= count) {
          return found;
        }
        long left = deadline - System.nanoTime();
        if (ended || left <= 0) {
          throw new IllegalStateException(
              "worker "
                  + pid()
                  + " printed "
                  + found.size()
                  + " of "
                  + count
                  + " '"
                  + prefix
                  + "' lines"
                  + (ended ? " and exited" : " within " + timeout)
                  + (pumpFailure == null ? "" : " (reading its output failed: " + pumpFailure + ")")
                  + ":\n"
                  + output(),
              pumpFailure);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for worker " + pid(), e);
        }
      }
    }
  }

  /**
   * Waits until the worker's output reached its end (the process closed it, normally by exiting),
   * so that {@link #output()} is complete.
   *
   * @param timeout the longest wait
   * @return whether it ended in time
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitOutputEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (!ended) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
      return true;
    }
  }

  /**
   * Returns what the listener given to {@link #start(Class, Path, List, Consumer, List)} threw, or
   * what failed while copying the output; empty while none did.
   *
   * @return the first failure
   */
  public java.util.Optional<Exception> outputFailure() {
    synchronized (progress) {
      return java.util.Optional.ofNullable(pumpFailure);
    }
  }

  /**
   * Sends one line to the worker's stdin and flushes it.
   *
   * @param line the line, without its newline
   * @throws IOException if the worker's stdin is closed (it exited)
   */
  public void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    synchronized (in) {
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
  }

  /** Freezes the worker with SIGSTOP, by its PID; its threads, timers and renewals stop. */
  public void pause() {
    signal("STOP");
  }

  /** Lets a paused worker run again with SIGCONT, by its PID. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "worker " + pid() + " has exited; not signalling a PID that may have been reused");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + name + " " + pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + pid(), e);
    }
  }

  /**
   * Asks the worker to stop with SIGTERM, by its PID: its shutdown hooks run (nodb's releases the
   * locks it still holds).
   */
  public void terminate() {
    signal("TERM");
  }

  /**
   * Kills the worker with SIGKILL, by its PID, and waits (10 s at most) until it is gone and what
   * it printed before is in {@link #output()}.
   */
  public void kill() {
    process.destroyForcibly();
    try {
      if (process.waitFor(10, TimeUnit.SECONDS)) {
        awaitOutputEnd(Duration.ofSeconds(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns everything the worker printed so far. */
  public String output() throws IOException {
    return Files.readString(log);
  }

  /** Returns the lines the worker printed that start with {@code prefix}, prefix removed. */
  public List<String> lines(String prefix) throws IOException {
    return output()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .toList();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
