package io.nodb.testing.workers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM started on the current classpath, with its output captured to a file. Tests start
 * several to cross process boundaries, wait for marker lines in their output with a bounded poll,
 * wait for them to exit with a deadline, kill (SIGKILL) them, or pause (SIGSTOP) and resume
 * (SIGCONT) them — always by their own PID, never by name. Not thread-safe; owned by one test.
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

  private WorkerJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
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
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("NODB_REDIS_URL");
    pb.environment().putAll(secrets);
    return new WorkerJvm(pb.start(), log);
  }

  /**
   * Returns {@code arg} with a Redis URL (the whole argument, or the value after {@code name=})
   * replaced by {@code env:VARIABLE}, recording the URL under that variable in {@code secrets}.
   */
  static String withoutUrl(String arg, java.util.Map<String, String> secrets) {
    int eq = arg.indexOf('=');
    String value = eq > 0 && !arg.startsWith("redis") ? arg.substring(eq + 1) : arg;
    if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
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
   * @return the exit code
   * @throws AssertionError if it does not exit in time (it is killed) — with its log
   */
  public int await(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
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
   * Waits until the worker printed a line starting with {@code prefix}, polling its output.
   *
   * @param prefix the marker
   * @param timeout the longest wait
   * @return the first such line, prefix removed
   * @throws AssertionError if none appears in time or the worker exits first — with its log
   */
  public String awaitLine(String prefix, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> found = lines(prefix);
      if (!found.isEmpty()) {
        return found.get(0);
      }
      boolean alive = process.isAlive();
      if (!alive || System.nanoTime() - deadline > 0) {
        if (!lines(prefix).isEmpty()) {
          return lines(prefix).get(0);
        }
        throw new AssertionError(
            "worker "
                + pid()
                + (alive ? " printed no '" + prefix + "' within " + timeout : " exited")
                + ":\n"
                + output());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
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

  /** Kills the worker with SIGKILL, by its PID. */
  public void kill() {
    process.destroyForcibly();
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
