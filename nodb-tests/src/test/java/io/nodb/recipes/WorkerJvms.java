package io.nodb.recipes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link RecipeWorker} JVMs with this JVM's java command and class path, talks to them over
 * stdin/stdout, keeps their stderr (logs) in files, and kills them on close. Every wait is bounded.
 */
final class WorkerJvms implements AutoCloseable {

  /** One worker JVM. */
  static final class Worker {
    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path stderr;

    Worker(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread pump =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                  }
                } catch (IOException ignored) {
                  // the process ended
                }
              },
              "worker-stdout-" + process.pid());
      pump.setDaemon(true);
      pump.start();
    }

    long pid() {
      return process.pid();
    }

    Process process() {
      return process;
    }

    void send(String command) {
      try {
        in.write(command + "\n");
        in.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("worker " + pid() + " is gone: " + log(), e);
      }
    }

    /** Returns lines up to and including the first that starts with {@code prefix}. */
    List<String> until(String prefix, Duration timeout) {
      List<String> out = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        while (true) {
          String l = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (l == null) {
            throw new AssertionError(
                "worker "
                    + pid()
                    + " did not print '"
                    + prefix
                    + "' in "
                    + timeout
                    + "; got "
                    + out
                    + "; log:\n"
                    + log());
          }
          out.add(l);
          if (l.startsWith(prefix)) {
            return out;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }

    String log() {
      try {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
      } catch (IOException e) {
        return "(cannot read " + stderr + ": " + e + ")";
      }
    }
  }

  private final List<Worker> workers = new ArrayList<>();

  private WorkerJvms() {}

  /** Starts {@code n} workers with the same arguments and waits until each printed READY. */
  static WorkerJvms start(int n, Path logDir, String... args) throws IOException {
    WorkerJvms jvms = new WorkerJvms();
    try {
      for (int i = 0; i < n; i++) {
        jvms.workers.add(launch(logDir.resolve("worker-" + i + ".log"), args));
      }
      for (Worker w : jvms.workers) {
        w.until("READY", Duration.ofSeconds(30));
      }
      return jvms;
    } catch (RuntimeException | Error | IOException e) {
      jvms.close();
      throw e;
    }
  }

  private static Worker launch(Path stderr, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xmx128m");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    cmd.add(RecipeWorker.class.getName());
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(stderr.toFile())).start();
    return new Worker(p, stderr);
  }

  List<Worker> all() {
    return workers;
  }

  Worker get(int i) {
    return workers.get(i);
  }

  void sendAll(String command) {
    workers.forEach(w -> w.send(command));
  }

  @Override
  public void close() {
    for (Worker w : workers) {
      w.process.destroyForcibly();
    }
    for (Worker w : workers) {
      try {
        w.process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
