package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the CLI's class-data-sharing archive, run by the build at package time
 * ({@code tools/pom.xml}): in one JVM it runs the everyday commands ({@code --version}, help, usage
 * errors, {@code status}, {@code inspect}, {@code audit}, {@code doctor}, text and JSON) on a
 * temporary local run, so that the JVM's list of loaded classes (or its dynamic archive) holds what
 * those commands load. Output is discarded. Not part of the command line; not thread-safe.
 */
public final class CdsTraining {

  private CdsTraining() {}

  /**
   * Runs the training.
   *
   * @param args the file to write the archive's stamp to: {@code <java.home>|<class path>}, the JDK
   *     and the jar the archive is valid for (the launcher compares them with its own)
   * @throws IOException if the temporary run or the stamp cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 1) {
      Files.writeString(
          Path.of(args[0]),
          System.getProperty("java.home") + "|" + System.getProperty("java.class.path") + "\n",
          StandardCharsets.UTF_8);
    }
    Path root = Files.createTempDirectory("nodb-cds-training");
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true, "UTF-8");
    try {
      Path run = Files.createDirectory(root.resolve("training-run"));
      Files.writeString(
          run.resolve("climate.nodb"),
          "{\"nodb\": {\"format\": 1, \"type\": \"climate\", \"version\": 3, \"fence\": 2,"
              + " \"writtenAt\": \"2025-05-01T10:15:30Z\", \"writer\": \"host:1\"}, \"state\": {}}",
          StandardCharsets.UTF_8);
      Files.writeString(run.resolve("landuse.nodb"), "{\"nodb\": {", StandardCharsets.UTF_8);
      String dir = run.toString();
      String file = run.resolve("climate.nodb").toString();
      List<List<String>> commands =
          List.of(
              List.of("--version"),
              List.of("--help"),
              List.of("help", "status"),
              List.of("status"),
              List.of("status", "--bogus", dir),
              List.of("status", dir),
              List.of("status", dir, "--wide"),
              List.of("status", dir, "--json"),
              List.of("status", root.resolve("missing").toString(), "--json"),
              List.of("inspect", file),
              List.of("inspect", file, "--json"),
              List.of("audit", dir),
              List.of("doctor", dir));
      System.setOut(none);
      System.setErr(none);
      try (LockClient client = LockClient.builder().local(root).build();
          LockHandle held =
              client.acquire(
                  LockKey.of("training-run", "climate.nodb"),
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(5))) {
        for (List<String> c : commands) {
          NodbCli.run(c.toArray(String[]::new));
        }
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
