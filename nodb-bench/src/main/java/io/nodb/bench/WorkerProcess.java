package io.nodb.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@link ContendWorker} child JVM, started with this JVM's {@code java} and class path, spoken
 * to over its standard input and output; its standard error goes to ours.
 *
 * <p>Not thread-safe; owned by the main thread.
 */
final class WorkerProcess implements AutoCloseable {

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  private final String name;

  private WorkerProcess(Process process, String name) {
    this.process = process;
    this.name = name;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  static WorkerProcess start(List<String> workerArgs, String name) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ContendWorker.class.getName());
    cmd.addAll(workerArgs);
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return new WorkerProcess(p, name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker JVM " + name, e);
    }
  }

  void send(String line) {
    in.println(line);
  }

  /**
   * Reads the next line, which must start with {@code prefix}.
   *
   * @return the words after the prefix
   * @throws IllegalStateException if the worker ended or said something else
   */
  List<String> expect(String prefix) throws IOException {
    String line = out.readLine();
    if (line == null || !line.startsWith(prefix)) {
      throw new IllegalStateException(
          "worker " + name + " said " + line + " instead of " + prefix + " (see its stderr)");
    }
    String rest = line.substring(prefix.length()).trim();
    return rest.isEmpty() ? List.of() : List.of(rest.split(" "));
  }

  @Override
  public void close() {
    try {
      in.println("EXIT");
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
