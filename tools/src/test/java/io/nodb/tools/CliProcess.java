package io.nodb.tools;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Java main class of the test classpath as a separate process, as the {@code nodb} launcher
 * would, and captures its exit code, stdout and stderr. The child's environment is this one without
 * {@code NODB_REDIS_URL}, plus what the caller adds. Every wait is bounded.
 */
final class CliProcess {

  /** How long one command may take at most, JVM start included, on a loaded machine. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  private CliProcess() {}

  /**
   * What one process did.
   *
   * @param exitCode the exit code
   * @param stdout everything it wrote to stdout
   * @param stderr everything it wrote to stderr
   * @param elapsed from start to exit
   */
  record Result(int exitCode, String stdout, String stderr, Duration elapsed) {

    /** Parses stdout as one JSON document. */
    JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (IOException e) {
        throw new AssertionError("stdout is not one JSON document: " + this, e);
      }
    }

    @Override
    public String toString() {
      return "exit "
          + exitCode
          + " after "
          + elapsed.toMillis()
          + " ms\n--- stdout ---\n"
          + stdout
          + "--- stderr ---\n"
          + stderr;
    }
  }

  /** Runs {@code nodb args...} in a new JVM without {@code NODB_REDIS_URL}. */
  static Result nodb(String... args) {
    return run(Map.of(), NodbCli.class.getName(), args);
  }

  /** Runs {@code nodb args...} in a new JVM with extra environment variables. */
  static Result nodb(Map<String, String> env, String... args) {
    return run(env, NodbCli.class.getName(), args);
  }

  /**
   * Runs a main class of the test classpath in a new JVM and waits for it to exit.
   *
   * @param env variables to add to the environment
   * @param mainClass the class
   * @param args its arguments
   * @return what it did
   */
  static Result run(Map<String, String> env, String mainClass, String... args) {
    return exec(env, javaCommand(mainClass, args));
  }

  /** Returns the command line that runs a main class of the test classpath in a new JVM. */
  static List<String> javaCommand(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Runs a command with stdin from {@code /dev/null} and waits for it to exit.
   *
   * @param env variables to add to the environment (without {@code NODB_REDIS_URL})
   * @param command the command line
   * @return what it did
   */
  static Result exec(Map<String, String> env, List<String> command) {
    return exec(env, command, null);
  }

  /**
   * Runs a command in a working directory with stdin from {@code /dev/null} and waits for it.
   *
   * @param env variables to add to the environment (without {@code NODB_REDIS_URL})
   * @param command the command line
   * @param directory the working directory, or null for this one
   * @return what it did
   */
  static Result exec(Map<String, String> env, List<String> command, Path directory) {
    try {
      File out = File.createTempFile("nodb-cli-", ".out");
      File err = File.createTempFile("nodb-cli-", ".err");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out)
                .redirectError(err)
                .directory(directory == null ? null : directory.toFile());
        pb.environment().remove("NODB_REDIS_URL");
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          fail("%s did not exit within %s: %s", command, TIMEOUT, read(err));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Result(p.exitValue(), read(out), read(err), elapsed);
      } finally {
        Files.deleteIfExists(out.toPath());
        Files.deleteIfExists(err.toPath());
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  private static String read(File f) throws IOException {
    return Files.readString(f.toPath(), StandardCharsets.UTF_8);
  }
}
