package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.store.NoDbCacheView;
import io.nodb.store.NoDbUnsafePathException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb status <run-dir>}: one row per controller file of the run (and per held lock without
 * a file): lock state, owner, held for, TTL left, lock fence, file version and fence, last writer
 * and time, cache state. Exits 0, or 4 when the run has controller files and none could be read.
 */
@Command(
    name = "status",
    description = {
      "Show the locks and controller files of one run.",
      "Exits 4 if the run directory does not exist or every controller file is corrupt."
    })
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<run-dir>",
      description = {
        "The run directory; a runs root (a directory of runs) shows every held lock as",
        "'nodb locks' does; on Redis a lock namespace (job-<ns>, sf-<cache>, or a kind:id",
        "tag such as app:billing) or nothing (every run and namespace)."
      })
  Path runDirArg;

  private record Row(String name, ControllerFile file, LockInfo lock, String cache) {}

  @Override
  public Integer call() {
    if (runDirArg == null || FleetView.isRunsRoot(runDirArg.toAbsolutePath().normalize())) {
      return fleet();
    }
    RunDir run = RunDir.resolve(runDirArg, root.redisUrl());
    Map<String, ControllerFile> files = new TreeMap<>();
    for (String name : run.namespace() ? List.<String>of() : ControllerFiles.list(run)) {
      files.put(name, ControllerFile.read(run.dir(), name));
    }
    String backend;
    Map<String, LockInfo> locks = new TreeMap<>();
    try (LockClient client = ClientFactory.forRun(root.redisUrl(), run)) {
      backend = client.backendDescription();
      for (LockInfo info : client.admin().locks(run.lockNamespace())) {
        // a nested run's locks are its holder's, under its path; a run's own list has neither
        run.fileOf(info.key().name()).ifPresent(file -> locks.put(file, info));
      }
    }
    Instant now = Instant.now();
    List<Row> rows = new ArrayList<>();
    try {
      for (String name : new TreeSet<>(union(files.keySet(), locks.keySet()))) {
        rows.add(new Row(name, files.get(name), locks.get(name), cacheState(run, name)));
      }
    } finally {
      if (cache != null) {
        cache.close();
      }
    }
    long corrupt = files.values().stream().filter(f -> !f.readable()).count();
    long legacy = files.values().stream().filter(f -> f.legacy() != null).count();
    PrintWriter out = spec.commandLine().getOut();
    if (root.json()) {
      JsonOutput.print(out, json(run, backend, rows, now));
    } else {
      printText(out, run, backend, rows, now, files.size(), locks.size(), corrupt, legacy);
    }
    if (!files.isEmpty() && corrupt == files.size()) {
      spec.commandLine()
          .getErr()
          .println("nodb: no controller file of run " + run.runId() + " could be read");
      return ExitCode.NOT_FOUND;
    }
    return ExitCode.OK;
  }

  /** The fleet view for a runs root, or for every run of Redis when no run is given. */
  private int fleet() {
    if (runDirArg == null && root.redisUrl() == null) {
      throw CliException.usage(
          "give a run directory or a runs root (without --redis or NODB_REDIS_URL there is no"
              + " list of every run)");
    }
    return new FleetView(root, spec.commandLine().getOut(), spec.commandLine().getErr())
        .show(runDirArg, FleetView.parseDuration(FleetView.DEFAULT_STUCK_AFTER), 100_000);
  }

  /** The Redis cache entry of a controller: only with Redis; {@code -} on the local backend. */
  private String cacheState(RunDir run, String name) {
    if (root.redisUrl() == null || run.namespace()) {
      return "-";
    }
    if (cache == null) {
      cache = NoDbCacheView.open(root.redisUrl(), ClientFactory.TIMEOUT);
    }
    try {
      return cache.describe(
          LockKey.of(run.lockNamespace(), run.lockName(name)), run.dir(), run.dir().resolve(name));
    } catch (java.io.IOException | NoDbUnsafePathException e) {
      return "?";
    }
  }

  private NoDbCacheView cache;

  private static TreeSet<String> union(Set<String> a, Set<String> b) {
    TreeSet<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  private void printText(
      PrintWriter out,
      RunDir run,
      String backend,
      List<Row> rows,
      Instant now,
      int fileCount,
      int lockCount,
      long corrupt,
      long legacy) {
    Style style = root.style();
    boolean wide = root.width() <= 0;
    out.println(
        run.namespace()
            ? "run      " + run.runId() + "  (lock namespace in Redis, not a run directory)"
            : "run      " + run.label() + "  (" + run.dir() + ")");
    if (run.identity().nested()) {
      out.println(
          "nested   locked as run "
              + run.runId()
              + ", lock names "
              + run.identity().prefix()
              + "<file>");
    }
    out.println("backend  " + backend);
    domainLine(run)
        .ifPresent(
            d ->
                out.println(
                    wide
                        ? "domain   " + d
                        : TablePrinter.fit("domain   " + d, TablePrinter.DEFAULT_WIDTH)));
    if (rows.isEmpty()) {
      out.println(
          run.namespace()
              ? "no locks held in this namespace"
              : "no controller files (*.nodb) and no locks in this run");
      out.flush();
      return;
    }
    out.println();
    List<String> headers = new ArrayList<>(List.of("CONTROLLER", "LOCK", "OWNER"));
    if (wide) {
      headers.addAll(List.of("HELD FOR", "TTL LEFT", "FENCE", "VERSION"));
      headers.addAll(List.of("FILE FENCE", "LAST WRITER", "WRITTEN AT", "CACHE"));
    } else {
      headers.addAll(List.of("HELD", "TTL", "FENCE", "VERSION", "WRITTEN"));
    }
    headers.add("FILE");
    TablePrinter table =
        new TablePrinter(headers.toArray(String[]::new))
            .maxWidth(root.width())
            .truncate(0, 20)
            .truncate(2, 16);
    List<String> reasons = new ArrayList<>();
    for (Row r : rows) {
      LockInfo l = r.lock();
      ControllerFile f = r.file() != null && r.file().readable() ? r.file() : null;
      List<String> cells = new ArrayList<>();
      cells.add(r.name());
      cells.add(l == null ? "free" : style.warn("held"));
      cells.add(l == null ? null : Format.owner(l));
      cells.add(l == null ? null : duration(l.heldFor(now), wide));
      cells.add(l == null ? null : duration(l.ttlLeft(), wide));
      cells.add(l == null ? null : Long.toString(l.fence()));
      // a legacy (format 0) file has no version or fence yet: "-", not 0
      boolean isLegacy = f != null && f.legacy() != null;
      cells.add(f == null ? null : isLegacy ? "-" : Long.toString(f.version()));
      if (wide) {
        cells.add(f == null ? null : isLegacy ? "-" : Long.toString(f.fence()));
        cells.add(f == null ? null : f.writer());
        cells.add(f == null ? null : Format.writtenAt(f.writtenAt()));
      } else {
        cells.add(f == null ? null : Format.age(f.writtenAt(), now));
      }
      if (wide) {
        cells.add(r.cache());
      }
      String state;
      if (r.file() == null) {
        state = run.namespace() ? "-" : "missing";
      } else if (r.file().readable()) {
        state = r.file().legacy() != null ? r.file().legacy().describe() : "ok";
      } else if (wide) {
        state = style.bad("corrupt: " + r.file().corrupt());
      } else {
        reasons.add(r.name() + ": " + r.file().corrupt());
        state = style.bad("corrupt [" + reasons.size() + "]");
      }
      cells.add(state);
      table.row(cells.toArray(String[]::new));
    }
    table.print(out);
    if (!reasons.isEmpty()) {
      out.println();
      for (int i = 0; i < reasons.size(); i++) {
        String line = "[" + (i + 1) + "] " + reasons.get(i);
        out.println(TablePrinter.fit(line, TablePrinter.DEFAULT_WIDTH));
      }
    }
    out.println();
    out.println(
        fileCount
            + " controller file(s), "
            + lockCount
            + " lock(s) held"
            + (corrupt > 0 ? ", " + corrupt + " corrupt file(s)" : "")
            + (legacy > 0
                ? ", " + legacy + " legacy file(s) of the Python NoDb (nodb migrate converts them)"
                : "")
            + (wide ? "" : "; --wide for every column"));
    out.flush();
  }

  private static String duration(java.time.Duration d, boolean wide) {
    return wide ? Format.duration(d) : Format.compact(d);
  }

  private static Map<String, Object> json(RunDir run, String backend, List<Row> rows, Instant now) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("runId", run.runId());
    doc.put("runDir", run.namespace() ? null : run.dir().toString());
    doc.put("namespace", run.namespace());
    doc.put("lockPrefix", run.identity().prefix());
    doc.put("backend", backend);
    doc.put("domain", domainLine(run).orElse(null));
    List<Map<String, Object>> controllers = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", r.name());
      c.put("lock", r.lock() == null ? "free" : "held");
      c.put("owner", r.lock() == null ? null : JsonOutput.owner(r.lock(), now));
      c.put("file", fileJson(r.file()));
      c.put("cache", "-".equals(r.cache()) ? null : r.cache());
      controllers.add(c);
    }
    doc.put("controllers", controllers);
    return doc;
  }

  private static Map<String, Object> fileJson(ControllerFile f) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (f == null) {
      m.put("state", "missing");
      return m;
    }
    m.put("state", !f.readable() ? "corrupt" : f.legacy() != null ? "legacy" : "ok");
    if (f.legacy() != null) {
      m.put("type", f.type());
      m.put("version", null); // no version or fence before its first format-1 dump
      m.put("fence", null);
      m.put("pythonClass", f.legacy().pythonClass());
      m.put("controller", f.legacy().controller());
      m.put("mapped", f.legacy().report().mapped().size());
      m.put("kept", f.legacy().report().kept().size());
    } else if (f.readable()) {
      m.put("type", f.type());
      m.put("version", f.version());
      m.put("fence", f.fence());
      m.put("writer", f.writer());
      m.put("writtenAt", f.writtenAt());
    } else {
      m.put("corrupt", f.corrupt());
    }
    return m;
  }

  /** The run's recorded lock domain, as one line, or empty if the run has no record. */
  private static java.util.Optional<String> domainLine(RunDir run) {
    return io.nodb.lock.RunDomain.read(run.lockRun())
        .map(
            r ->
                r.domain().describe()
                    + ", since "
                    + r.since().toString().substring(0, 10)
                    + " by "
                    + r.by());
  }
}
