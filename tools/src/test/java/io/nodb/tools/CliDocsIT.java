package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/cli.md} cannot drift from the real output: every fenced block of it that starts with
 * {@code $ } is a list of commands, and this test runs each one (in order, as a separate process,
 * in a runs root with a fixed set of runs, on a Redis of its own) and compares what it printed with
 * the block. Values that differ from run to run (durations, ages, pids, fences, counts, random
 * names) and the alignment of columns are masked on both sides, so a mismatch means a label, a
 * column, a message or a value's kind changed. With {@code NODB_DOCS_REGENERATE=1} it writes the
 * real output into the file instead (see {@link #REGENERATE}).
 *
 * <p>A command line is {@code $ [VAR=value ...] nodb args... [2>/dev/null]}, single quotes group
 * words. {@code NODB_REDIS_URL} is {@link #DOC_REDIS} (this test's Redis) unless the line sets it;
 * an empty value selects the local backend. The output shown is stdout, then stderr, then {@code
 * [exit N]}. In the written output the runs root is {@link #DOC_ROOT}, the Redis URL {@link
 * #DOC_REDIS}, every process's host name is {@code vm} ({@code HOSTNAME}) and the user {@code
 * root}, so the file is the same whoever regenerates it.
 */
@ExtendWith(RedisExtension.class)
@DedicatedRedis
class CliDocsIT {

  /** The one-line command that rewrites docs/cli.md from real output. */
  static final String REGENERATE =
      "NODB_DOCS_REGENERATE=1 ./mvnw -B -pl tools -am verify -Dit.test=CliDocsIT -Dtest=none"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false";

  static final String DOC_ROOT = "/tmp/nodb-docs/runs";
  static final String DOC_REDIS = "redis://127.0.0.1:6398";
  private static final Path DOC = Path.of("..", "docs", "cli.md").toAbsolutePath().normalize();

  @TempDir Path tmp;

  /** The host name every process of the examples records (the doc's {@code vm}). */
  private static final String HOST = "vm";

  private Process holder;

  @Test
  void everyExampleInDocsCliMdIsWhatTheCommandPrints(TestRedis redis)
      throws IOException, InterruptedException {
    Path root = Files.createDirectories(tmp.resolve("runs"));
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    fixture(root, redis);
    try {
      List<String[]> blocks = new ArrayList<>(); // {as documented, as printed}
      String rendered = render(doc, root, redis, blocks);
      if ("1".equals(System.getenv("NODB_DOCS_REGENERATE"))) {
        Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
        return;
      }
      assertThat(blocks.size()).as("command blocks in " + DOC).isGreaterThanOrEqualTo(15);
      for (String[] b : blocks) {
        String documented = mask(b[0]);
        String printed = mask(b[1]);
        if (!documented.equals(printed)) {
          int at = 0;
          while (at < Math.min(documented.length(), printed.length())
              && documented.charAt(at) == printed.charAt(at)) {
            at++;
          }
          int from = Math.max(0, at - 60);
          fail(
              "docs/cli.md disagrees with the real output; regenerate it with%n  %s%n"
                  + "first difference (masked): documented '...%s' but printed '...%s'%n"
                  + "--- documented ---%n%s%n--- printed ---%n%s",
              REGENERATE,
              documented.substring(from, Math.min(documented.length(), at + 60)),
              printed.substring(from, Math.min(printed.length(), at + 60)),
              b[0],
              b[1]);
        }
      }
    } finally {
      holder.getOutputStream().close(); // the holder releases and exits
      assertThat(holder.waitFor(CliProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }

  /** The runs the documented commands use (see the examples in docs/cli.md). */
  private void fixture(Path root, TestRedis redis) throws IOException {
    Path run42 = Files.createDirectories(root.resolve("run-42"));
    Files.createDirectories(run42.resolve("watershed"));
    write(run42, "climate.nodb", envelope("climate", 12, 7, "2025-05-01T10:15:30Z", "hpc-3:4121"));
    write(
        run42,
        "watershed/channels.nodb",
        envelope("watershed", 3, 2, "2025-05-01T09:02:11Z", "hpc-1:880"));
    write(
        run42,
        "landuse.nodb",
        "{\"nodb\": {\"format\": 1, \"type\": \"landuse\", \"version\": 2,\n\"fe");
    write(
        run42,
        "ron.nodb",
        "{\"nodb\":{\"format\":1,\"type\":\"ron\",\"version\":3,\"fence\":3,"
            + "\"writtenAt\":\"2026-11-22T08:08:49.033893909Z\",\"writer\":\"vm:14281\"},"
            + "\"state\":{\"name\":\"wepp run 42\",\"owner\":\"root\",\"configName\":\"disturbed\","
            + "\"mods\":[\"rap_ts\"]}}");
    orphan(redis, "run-42", "soils.nodb");
    Files.createDirectories(root.resolve("run-43"));
    Path run45 = Files.createDirectories(root.resolve("run-45"));
    write(run45, "climate.nodb", envelope("landuse", 2, 2, "2026-11-22T08:10:02Z", "hpc-2:311"));
    Path run46 = Files.createDirectories(root.resolve("run-46"));
    write(run46, "climate.nodb", envelope("climate", 12, 7, "2025-05-01T10:15:30Z", "hpc-3:4121"));
    Files.createDirectories(root.resolve("run-47"));
    orphan(redis, "run-47", "soils.nodb");
    // in this order: the fleet view sorts by acquisition time, then run; taken first, the job lock
    // sorts first even when the clock gives the next lock the same millisecond
    hold(
        redis,
        "job:billing",
        "invoices/2026-11",
        "run-42",
        "climate.nodb",
        "run-46",
        "climate.nodb",
        "run-47",
        "climate.nodb");
    // this Redis has a deployment id of its own, as after any store used it
    try (redis.clients.jedis.Jedis j = redis.connect(java.time.Duration.ofSeconds(5))) {
      j.set("nodb-domain", "d0c5".repeat(8));
    }
    // a run recorded for another Redis deployment (see nodb domain)
    Path run48 = Files.createDirectories(root.resolve("run-48"));
    io.nodb.lock.internal.RunDomainFile.recordIfAbsent(
        run48,
        io.nodb.lock.LockDomain.redis("5e1f".repeat(8), "redis://cache.internal:6379"),
        "hpc-3:4121");
    // the Python NoDb's runs for nodb migrate: real-shaped files of two wepppy versions
    Path legacy = Files.createDirectories(root.resolve("legacy"));
    io.nodb.testing.legacy.LegacyFixtures.copyRun("2018-Mica_flume1", legacy.resolve("mica-2018"));
    io.nodb.testing.legacy.LegacyFixtures.copyRun(
        "2026-prescribed_fire", legacy.resolve("fire-2026"));
  }

  private static String envelope(
      String type, long version, long fence, String writtenAt, String writer) {
    return "{\"nodb\": {\"format\": 1, \"type\": \""
        + type
        + "\", \"version\": "
        + version
        + ", \"fence\": "
        + fence
        + ", \"writtenAt\": \""
        + writtenAt
        + "\", \"writer\": \""
        + writer
        + "\"}, \"state\": {}}";
  }

  private static void write(Path run, String name, String content) throws IOException {
    Files.writeString(run.resolve(name), content, StandardCharsets.UTF_8);
  }

  /** Starts a {@link LockHolder} on host {@code vm} holding the given (run, name) locks. */
  private void hold(TestRedis redis, String... runsAndNames) throws IOException {
    List<String> args = new ArrayList<>(List.of(redis.url()));
    args.addAll(List.of(runsAndNames));
    ProcessBuilder pb =
        new ProcessBuilder(
                CliProcess.javaCommand(LockHolder.class.getName(), args.toArray(String[]::new)))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("HOSTNAME", HOST);
    holder = pb.start();
    try (var out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).as("the holder took its locks").isEqualTo("held");
    }
  }

  private static void orphan(TestRedis redis, String run, String name) {
    CliProcess.Result r =
        CliProcess.run(
            Map.of("HOSTNAME", HOST), OrphanMaker.class.getName(), redis.url(), run, name);
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  /**
   * Returns the document with every command block replaced by the real output, and adds each
   * block's documented and printed text to {@code blocks}.
   */
  private static String render(String doc, Path root, TestRedis redis, List<String[]> blocks) {
    StringBuilder out = new StringBuilder();
    List<String> lines = doc.lines().toList();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      out.append(line).append('\n');
      i++;
      if (!line.startsWith("```") || i >= lines.size() || !lines.get(i).startsWith("$ ")) {
        if (line.startsWith("```")) { // skip a block that is not commands, fence included
          while (i < lines.size() && !lines.get(i).startsWith("```")) {
            out.append(lines.get(i)).append('\n');
            i++;
          }
          if (i < lines.size()) {
            out.append(lines.get(i)).append('\n');
            i++;
          }
        }
        continue;
      }
      StringBuilder documented = new StringBuilder();
      List<String> commands = new ArrayList<>();
      while (i < lines.size() && !lines.get(i).startsWith("```")) {
        documented.append(lines.get(i)).append('\n');
        if (lines.get(i).startsWith("$ ")) {
          commands.add(lines.get(i).substring(2));
        }
        i++;
      }
      StringBuilder printed = new StringBuilder();
      for (String command : commands) {
        if (printed.length() > 0) {
          printed.append('\n');
        }
        printed.append("$ ").append(command).append('\n').append(run(command, root, redis));
      }
      blocks.add(new String[] {documented.toString(), printed.toString()});
      out.append(printed);
      if (i < lines.size()) { // the closing fence
        out.append(lines.get(i)).append('\n');
        i++;
      }
    }
    return out.toString();
  }

  /** Runs one documented command line and returns what it printed, as the doc shows it. */
  private static String run(String commandLine, Path root, TestRedis redis) {
    List<String> words = words(commandLine);
    Map<String, String> env = new HashMap<>();
    env.put("NODB_REDIS_URL", redis.url());
    env.put("HOSTNAME", HOST);
    while (!words.isEmpty() && words.get(0).matches("[A-Z_]+=.*")) {
      String w = words.remove(0);
      String value = w.substring(w.indexOf('=') + 1);
      env.put(w.substring(0, w.indexOf('=')), value.equals(DOC_REDIS) ? redis.url() : value);
    }
    boolean stderr = true;
    if (!words.isEmpty() && words.get(words.size() - 1).equals("2>/dev/null")) {
      words.remove(words.size() - 1);
      stderr = false;
    }
    if (words.isEmpty() || !words.get(0).equals("nodb")) {
      throw new AssertionError("not a nodb command in docs/cli.md: " + commandLine);
    }
    words.remove(0);
    CliProcess.Result r =
        CliProcess.exec(
            env,
            CliProcess.javaCommand(NodbCli.class.getName(), words.toArray(String[]::new)),
            root);
    String shown = r.stdout() + (stderr ? r.stderr() : "") + "[exit " + r.exitCode() + "]\n";
    return shown
        .replace(root.toString(), DOC_ROOT)
        .replace(redis.url(), DOC_REDIS)
        .replace("user=" + System.getProperty("user.name"), "user=root");
  }

  /** Splits a command line into words; single quotes group words. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          words.add(w.toString());
        }
        w.setLength(0);
        any = false;
      } else {
        w.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(w.toString());
    }
    return words;
  }

  /**
   * Masks what differs from run to run: ages, durations, numbers and hex names and digests (pids,
   * fences, random run names), and every run of white space (column alignment and where a long cell
   * wraps).
   */
  static String mask(String s) {
    return s.replaceAll("\\s+", " ")
        .replaceAll("\\b[0-9]+ [smhd] ago\\b", "<age>")
        .replaceAll("\\b[0-9]+ h [0-9]+ m\\b|\\b[0-9]+ m [0-9]+ s\\b", "<t>")
        .replaceAll("\\b[0-9]+(\\.[0-9]+)? (ms|s)\\b", "<t>")
        .replaceAll("\\b[0-9]+(\\.[0-9]+)?(ms|s)\\b|\\b[0-9]+[hm][0-9]+[ms]\\b", "<t>")
        .replaceAll("\\b(?=[0-9a-f]*[0-9])[0-9a-f]+\\b", "0")
        .replaceAll("[0-9]+", "0")
        .strip();
  }
}
