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
 * several to cross process boundaries, then wait for them with a deadline, or kill (SIGKILL) them
 * by their own PID. Not thread-safe; owned by one test.
 */
public final class WorkerJvm implements AutoCloseable {

  private final Process process;
  private final Path log;

  private WorkerJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
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
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(List.of(args));
    Files.createDirectories(logDir);
    Path log = Files.createTempFile(logDir, mainClass.getSimpleName() + "-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("NODB_REDIS_URL");
    return new WorkerJvm(pb.start(), log);
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
