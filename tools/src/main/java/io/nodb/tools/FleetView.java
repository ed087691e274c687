package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.RunScan;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fleet view of {@code nodb locks} and {@code nodb status <runs-root>}: every held lock across
 * runs and lock namespaces, oldest first, with its holder, held-for, TTL left and fence, and a
 * {@code STUCK} flag when the holder process is gone on this host or the lock has been held longer
 * than a threshold.
 *
 * <p>Redis: an incremental {@code SCAN} of the run index keys ({@link
 * io.nodb.lock.LockAdmin#scanRuns}, {@value #SCAN_COUNT} keys per step), the whole database (a runs
 * root does not narrow it, so recipe namespaces are listed too); local files: the runs root's
 * subdirectories with a lock directory. Then each run's locks are read through its index. At most
 * {@code limit} runs are read; a listing cut there says so. Exits 0 whether or not locks are stuck.
 * Not thread-safe; one per invocation.
 */
final class FleetView {

  /** The {@code COUNT} of one scan step. */
  static final int SCAN_COUNT = 500;

  /** The default of {@code --stuck-after}. */
  static final String DEFAULT_STUCK_AFTER = "1h";

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  /**
   * One held lock and why it looks stuck.
   *
   * @param lock the holder
   * @param stuck the reason it looks stuck, or null
   */
  record Row(LockInfo lock, String stuck) {}

  private final CliOptions root;
  private final PrintWriter out;
  private final PrintWriter err;

  FleetView(CliOptions root, PrintWriter out, PrintWriter err) {
    this.root = root;
    this.out = out;
    this.err = err;
  }

  /**
   * Parses {@code --stuck-after}: {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d}, {@code 500ms}
   * or ISO-8601 ({@code PT1H}).
   *
   * @param text the option's value
   * @return the positive duration
   * @throws CliException (exit 2) if it is not a positive duration
   */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT_DURATION.matcher(t);
    Duration d = null;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        d = null;
      }
    }
    if (d == null || d.isNegative() || d.isZero()) {
      throw CliException.usage(
          "--stuck-after must be a positive duration such as 90s, 30m, 1h or PT1H, was '"
              + text
              + "'");
    }
    return d;
  }

  /**
   * Whether {@code dir} looks like a runs root rather than a run: it has no controller file and no
   * lock directory of its own, and at least one subdirectory has one of them.
   *
   * @param dir an existing directory
   * @return whether to show the fleet view for it
   */
  static boolean isRunsRoot(Path dir) {
    if (!Files.isDirectory(dir) || looksLikeRun(dir)) {
      return false;
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.anyMatch(c -> Files.isDirectory(c) && looksLikeRun(c));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  private static boolean looksLikeRun(Path dir) {
    if (Files.isDirectory(dir.resolve(".nodb-locks"))) {
      return true;
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.anyMatch(
          c -> c.getFileName().toString().endsWith(".nodb") && Files.isRegularFile(c));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Lists, prints, and returns the exit code.
   *
   * @param runsRoot the runs root (local backend; shown only on Redis), or null for the cwd
   * @param stuckAfter the held-for beyond which a lock is flagged
   * @param limit the most runs to read
   * @return {@link ExitCode#OK}, or {@link ExitCode#UNAVAILABLE} when some runs under the root are
   *     recorded for the other kind of backend and could not be read
   * @throws CliException (exit 4) if the local runs root does not exist
   */
  int show(Path runsRoot, Duration stuckAfter, int limit) {
    boolean redis = root.redisUrl() != null;
    Path dir = (runsRoot == null ? Path.of("") : runsRoot).toAbsolutePath().normalize();
    if (!redis && !Files.isDirectory(dir)) {
      throw CliException.notFound("no such runs root: " + (runsRoot == null ? dir : runsRoot));
    }
    TerminalProgress progress = root.json() ? null : TerminalProgress.forStdout(err, false);
    List<Row> rows = new ArrayList<>();
    Set<String> runs = new LinkedHashSet<>();
    Set<String> withLocks = new LinkedHashSet<>();
    boolean complete = true;
    String backend;
    String host = ThisHost.name();
    Instant now;
    try (LockClient client = ClientFactory.create(root.redisUrl(), dir)) {
      backend = client.backendDescription();
      String cursor = RunScan.START;
      scan:
      while (true) {
        RunScan step = client.admin().scanRuns(cursor, SCAN_COUNT);
        for (String run : step.runIds()) {
          if (!runs.add(run)) {
            continue; // SCAN may return a key twice
          }
          if (runs.size() > limit) {
            runs.remove(run);
            complete = false;
            break scan;
          }
          List<LockInfo> held = client.admin().locks(LockNamespace.parse(run));
          if (!held.isEmpty()) {
            withLocks.add(run);
          }
          held.forEach(l -> rows.add(new Row(l, null)));
        }
        if (progress != null) {
          progress.update("reading runs: " + runs.size() + " read, " + rows.size() + " lock(s)");
        }
        if (step.done()) {
          break;
        }
        cursor = step.cursor();
      }
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
    // runs under the root recorded for the other kind of backend cannot be read from this one:
    // say so instead of counting them as free (a run's .nodb-domain names where its locks live)
    List<String> elsewhere = redis && runsRoot == null ? List.of() : recordedElsewhere(dir, redis);
    if (!elsewhere.isEmpty()) {
      complete = false;
    }
    now = Instant.now();
    List<Row> judged = new ArrayList<>(rows.size());
    for (Row r : rows) {
      judged.add(new Row(r.lock(), stuckReason(r.lock(), host, now, stuckAfter)));
    }
    judged.sort(
        Comparator.comparing((Row r) -> r.lock().acquiredAt())
            .thenComparing(r -> r.lock().key().namespace().tag())
            .thenComparing(r -> r.lock().key().name()));
    long stuck = judged.stream().filter(r -> r.stuck() != null).count();
    if (root.json()) {
      printJson(
          backend,
          redis ? null : dir,
          runs.size(),
          withLocks.size(),
          complete,
          limit,
          stuckAfter,
          judged,
          stuck,
          now);
    } else {
      printText(
          backend,
          redis ? null : dir,
          runs.size(),
          withLocks.size(),
          complete,
          limit,
          stuckAfter,
          judged,
          stuck,
          now);
    }
    if (!elsewhere.isEmpty()) {
      err.println(
          "nodb: "
              + elsewhere.size()
              + " run(s) under "
              + dir
              + " are locked in "
              + (redis ? "local lock files" : "Redis")
              + " (their .nodb-domain says so) and were not read, e.g. "
              + String.join(", ", elsewhere.subList(0, Math.min(3, elsewhere.size()))));
      err.println(
          redis
              ? "nodb: run 'nodb locks' without --redis and NODB_REDIS_URL to see their locks"
              : "nodb: set NODB_REDIS_URL (or --redis) to their Redis to see their locks");
      err.flush();
      return ExitCode.UNAVAILABLE;
    }
    return ExitCode.OK;
  }

  /** The runs directly under {@code dir} whose recorded lock domain is not this view's kind. */
  private static List<String> recordedElsewhere(Path dir, boolean redis) {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (var children = Files.list(dir)) {
      for (Path child : children.sorted().toList()) {
        if (!Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try {
          io.nodb.lock.RunDomain.read(child)
              .filter(r -> (r.domain().backend() == io.nodb.lock.LockDomain.Backend.REDIS) != redis)
              .ifPresent(r -> out.add(child.getFileName().toString()));
        } catch (io.nodb.lock.LockDomainException unreadable) {
          out.add(child.getFileName() + " (unreadable .nodb-domain)");
        }
      }
    } catch (java.io.IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot list " + dir + ": " + e.getMessage());
    }
    return out;
  }

  /** Returns why a held lock looks stuck, or null. */
  static String stuckReason(LockInfo l, String host, Instant now, Duration stuckAfter) {
    if (host.equals(l.host())
        && l.pid() > 0
        && !ProcessHandle.of(l.pid()).map(ProcessHandle::isAlive).orElse(false)) {
      return "holder process " + l.pid() + " is gone (this host)";
    }
    if (l.heldFor(now).compareTo(stuckAfter) > 0) {
      return "held longer than " + Format.duration(stuckAfter);
    }
    return null;
  }

  private void printText(
      String backend,
      Path dir,
      int runsRead,
      int runsWithLocks,
      boolean complete,
      int limit,
      Duration stuckAfter,
      List<Row> rows,
      long stuck,
      Instant now) {
    Style style = root.style();
    boolean wide = root.width() <= 0;
    out.println("backend  " + backend);
    out.println(
        "runs     "
            + runsRead
            + " run(s) and namespace(s) read"
            + (dir == null ? " (SCAN of nodb-run:{*})" : " under " + dir));
    out.println(
        "stuck    holder process gone (this host), or held longer than "
            + Format.duration(stuckAfter));
    if (!complete) {
      out.println(
          style.warn("stopped at --limit " + limit + " runs: runs after them were not read"));
    }
    if (!rows.isEmpty()) {
      out.println();
      List<String> headers = new ArrayList<>(List.of("RUN", "LOCK", "HOLDER"));
      if (wide) {
        headers.addAll(List.of("ACQUIRED AT", "HELD FOR", "TTL LEFT", "FENCE", "STUCK"));
      } else {
        headers.addAll(List.of("HELD", "TTL", "FENCE", "STUCK"));
      }
      TablePrinter table =
          new TablePrinter(headers.toArray(String[]::new))
              .maxWidth(root.width())
              .truncate(0, 12)
              .truncate(1, 14)
              .truncate(2, 14);
      for (Row r : rows) {
        LockInfo l = r.lock();
        List<String> cells = new ArrayList<>();
        cells.add(l.key().namespace().tag());
        cells.add(l.key().name());
        cells.add(Format.owner(l));
        if (wide) {
          cells.add(Format.instant(l.acquiredAt()));
          cells.add(Format.duration(l.heldFor(now)));
          cells.add(Format.duration(l.ttlLeft()));
        } else {
          cells.add(Format.compact(l.heldFor(now)));
          cells.add(Format.compact(l.ttlLeft()));
        }
        cells.add(Long.toString(l.fence()));
        cells.add(r.stuck() == null ? "no" : style.bad("STUCK: " + r.stuck()));
        table.row(cells.toArray(String[]::new));
      }
      table.print(out);
    }
    out.println();
    out.println(
        rows.size()
            + " lock(s) held in "
            + runsWithLocks
            + " run(s), "
            + stuck
            + " likely stuck"
            + (wide || rows.isEmpty() ? "" : "; --wide for every column"));
    out.flush();
  }

  private void printJson(
      String backend,
      Path dir,
      int runsRead,
      int runsWithLocks,
      boolean complete,
      int limit,
      Duration stuckAfter,
      List<Row> rows,
      long stuck,
      Instant now) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("backend", backend);
    doc.put("runsRoot", dir == null ? null : dir.toString());
    doc.put("runsRead", runsRead);
    doc.put("complete", complete);
    doc.put("limit", limit);
    doc.put("stuckAfterMillis", stuckAfter.toMillis());
    List<Map<String, Object>> locks = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("runId", r.lock().key().namespace().tag());
      m.putAll(JsonOutput.owner(r.lock(), now));
      m.put("stuck", r.stuck() != null);
      m.put("stuckReason", r.stuck());
      locks.add(m);
    }
    doc.put("locks", locks);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("locks", rows.size());
    summary.put("runsWithLocks", runsWithLocks);
    summary.put("stuck", stuck);
    doc.put("summary", summary);
    JsonOutput.print(out, doc);
  }
}
