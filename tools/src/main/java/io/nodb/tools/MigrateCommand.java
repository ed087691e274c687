package io.nodb.tools;

import io.nodb.NoDbException;
import io.nodb.controllers.Controllers;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockNamespace;
import io.nodb.store.ControllerType;
import io.nodb.store.LockedScope;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbFileInfo;
import io.nodb.store.NoDbFiles;
import io.nodb.store.NoDbStore;
import io.nodb.store.NoDbStoreBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nodb migrate <run-dir|runs-root>... [--dry-run] [--lock-wait SECONDS]}: converts the
 * Python NoDb's legacy (format 0, jsonpickle) controller files to format 1 with the store itself,
 * so the tool and the store cannot disagree. For each file it reports what the controller maps,
 * what is kept verbatim and what is refused (with the reason); without {@code --dry-run} each
 * legacy file is loaded and dumped under its own lock (the first dump keeps the original bytes
 * beside the file). Files already in format 1 are left alone, so a second run changes nothing. An
 * argument that holds {@code *.nodb} files is a run; any other directory is a runs root whose
 * subdirectories are runs. A nested run (wepppy's {@code _pups/...}, see {@link ControllerFiles})
 * is migrated as a run of its own after the run that holds it, under the locks the store gives it
 * ({@link io.nodb.store.RunIdentity}). An argument that is a link is its target; a run reached
 * twice (given twice, through a link, or as a nested run of another argument) is migrated once;
 * links inside a run or runs root are not followed. Exit codes: 0 every legacy file migrated (or
 * would be), 4 some file refused or an argument not found, 1 some migration failed (lock, stale
 * file, I/O, the backup's name taken), 3 backend unavailable.
 */
@Command(
    name = "migrate",
    description = {
      "Convert the Python NoDb's legacy .nodb files (format 0) to format 1.",
      "Every field is kept, and the original bytes beside each file.",
      "Files already in format 1 are left alone.",
      "Nested runs (_pups/...) are migrated as runs of their own.",
      "Exits 0 when every file migrates, 4 when some are refused, 1 when some fail."
    })
final class MigrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @ParentCommand CliOptions root;

  @Parameters(
      arity = "1..*",
      paramLabel = "<run-dir|runs-root>",
      description = "Run directories, or directories of runs.")
  List<Path> args;

  @Option(names = "--dry-run", description = "Report what would be done; write nothing.")
  boolean dryRun;

  @Option(
      names = "--lock-wait",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "How long to wait for each file's lock (default: ${DEFAULT-VALUE}).")
  long lockWaitSeconds;

  /** What happened to one file. */
  enum Result {
    MIGRATED("migrated"),
    WOULD_MIGRATE("would migrate"),
    CURRENT("current"),
    REFUSED("refused"),
    FAILED("failed");

    final String label;

    Result(String label) {
      this.label = label;
    }
  }

  /** One file's row. */
  record Row(
      String run,
      String file,
      String pythonClass,
      String controller,
      List<String> mapped,
      List<String> kept,
      Result result,
      String reason,
      String backup) {}

  @Override
  public Integer call() {
    if (lockWaitSeconds < 0 || lockWaitSeconds > 3600) {
      throw CliException.usage("--lock-wait must be from 0 to 3600 seconds: " + lockWaitSeconds);
    }
    List<RunDir> runs = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (Path arg : args) {
      runs.addAll(runsOf(arg, rows));
    }
    Map<Path, String> labels = new LinkedHashMap<>();
    runs = withNestedRuns(runs, labels, rows);
    PrintWriter out = spec.commandLine().getOut();
    TerminalProgress progress = TerminalProgress.forStdout(out, root.json());
    Map<Path, NoDbStore> stores = new LinkedHashMap<>();
    List<LockClient> clients = new ArrayList<>();
    try {
      int done = 0;
      for (RunDir run : runs) {
        if (progress != null) {
          progress.update(
              (dryRun ? "checking" : "migrating")
                  + " run "
                  + (++done)
                  + "/"
                  + runs.size()
                  + ": "
                  + labels.get(run.dir()));
        }
        rows.addAll(migrateRun(run, labels.get(run.dir()), stores, clients));
      }
    } finally {
      if (progress != null) {
        progress.finish();
      }
      stores.values().forEach(NoDbStore::close);
      clients.forEach(LockClient::close);
    }
    Map<Result, Integer> counts = new TreeMap<>();
    for (Result r : Result.values()) {
      counts.put(r, 0);
    }
    rows.forEach(r -> counts.merge(r.result(), 1, Integer::sum));
    if (root.json()) {
      JsonOutput.print(out, json(runs.size(), rows, counts));
    } else {
      printText(out, runs.size(), rows, counts);
    }
    if (counts.get(Result.FAILED) > 0) {
      return ExitCode.FAILURE;
    }
    return counts.get(Result.REFUSED) > 0 ? ExitCode.NOT_FOUND : ExitCode.OK;
  }

  /** An argument is a run when it holds controller files, else a runs root. */
  private static List<RunDir> runsOf(Path arg, List<Row> refused) {
    Path dir = arg.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw CliException.notFound(
          (Files.isSymbolicLink(dir)
                  ? "a link to nothing or to a file: "
                  : Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
                      ? "not a directory: "
                      : "no such directory: ")
              + arg);
    }
    try {
      // an argument that is a link to a run or a runs root is its target; links met while walking
      // the target are not followed
      dir = dir.toRealPath();
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot resolve " + arg + ": " + e);
    }
    boolean isRun;
    try {
      isRun = hasControllerFiles(dir);
    } catch (UncheckedIOException e) {
      throw new CliException(ExitCode.FAILURE, listingProblem(dir, e));
    }
    if (isRun) {
      String notARun = namespaceDirectory(dir);
      if (notARun != null) {
        throw CliException.notFound(arg + ": " + notARun);
      }
      return List.of(RunDir.of(dir));
    }
    List<RunDir> runs = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        boolean run;
        try {
          run =
              !name.startsWith(".")
                  && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
                  && hasControllerFiles(child);
        } catch (UncheckedIOException e) {
          refused.add(
              new Row(
                  name,
                  "-",
                  null,
                  null,
                  List.of(),
                  List.of(),
                  Result.FAILED,
                  listingProblem(child, e),
                  null));
          continue;
        }
        String notARun = run ? namespaceDirectory(child) : null;
        if (notARun != null) {
          refused.add(
              new Row(name, "-", null, null, List.of(), List.of(), Result.REFUSED, notARun, null));
        } else if (run) {
          try {
            runs.add(RunDir.of(child));
          } catch (CliException e) {
            refused.add(
                new Row(
                    name,
                    "-",
                    null,
                    null,
                    List.of(),
                    List.of(),
                    Result.REFUSED,
                    e.getMessage(),
                    null));
          }
        }
      }
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      throw new CliException(
          ExitCode.FAILURE,
          listingProblem(
              dir,
              e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e));
    }
    runs.sort((a, b) -> a.dir().compareTo(b.dir()));
    return runs;
  }

  /**
   * Adds every nested run (wepppy's {@code _pups/...} child runs, see {@link ControllerFiles})
   * after the run that holds it, as a run of its own: its files are migrated under its own locks by
   * the typed controllers, never as trees of the run around it. Labels are the run id, then the
   * path of each nested run below it ({@code mica/_pups/omni/scenarios/burned}).
   */
  private static List<RunDir> withNestedRuns(
      List<RunDir> runs, Map<Path, String> labels, List<Row> refused) {
    List<RunDir> all = new ArrayList<>();
    java.util.ArrayDeque<RunDir> todo = new java.util.ArrayDeque<>(runs);
    runs.forEach(r -> labels.putIfAbsent(r.dir(), r.label()));
    List<RunDir> ordered = new ArrayList<>();
    while (!todo.isEmpty()) {
      RunDir run = todo.removeFirst();
      if (all.stream().anyMatch(r -> r.dir().equals(run.dir()))) {
        continue;
      }
      all.add(run);
      ordered.add(run);
      List<RunDir> children = new ArrayList<>();
      List<Path> nestedRuns;
      Map<Path, IOException> unreadable = new LinkedHashMap<>();
      try {
        nestedRuns = ControllerFiles.nestedRuns(run, unreadable);
      } catch (UncheckedIOException | java.nio.file.DirectoryIteratorException e) {
        nestedRuns = List.of(); // migrateRun reports the listing failure of this run
      }
      for (Map.Entry<Path, IOException> u : unreadable.entrySet()) {
        String label =
            labels.get(run.dir())
                + "/"
                + run.dir()
                    .relativize(u.getKey())
                    .toString()
                    .replace(java.io.File.separatorChar, '/');
        refused.add(
            new Row(
                label,
                "-",
                null,
                null,
                List.of(),
                List.of(),
                Result.FAILED,
                listingProblem(u.getKey(), new UncheckedIOException(u.getValue())),
                null));
      }
      for (Path nested : nestedRuns) {
        String label =
            labels.get(run.dir())
                + "/"
                + run.dir().relativize(nested).toString().replace(java.io.File.separatorChar, '/');
        try {
          RunDir child = RunDir.of(nested);
          labels.put(child.dir(), label);
          children.add(child);
        } catch (CliException e) {
          refused.add(
              new Row(
                  label,
                  "-",
                  null,
                  null,
                  List.of(),
                  List.of(),
                  Result.REFUSED,
                  e.getMessage(),
                  null));
        }
      }
      for (int i = children.size() - 1; i >= 0; i--) {
        todo.addFirst(children.get(i));
      }
    }
    return ordered;
  }

  /**
   * Returns why {@code dir} is no run if it is the lock directory of a {@link LockNamespace} that
   * is not a run ({@code <runs-root>/job:billing}: its name is the namespace's tag, which no run id
   * can be), else null.
   */
  private static String namespaceDirectory(Path dir) {
    Path name = dir.getFileName();
    return name == null
        ? null
        : LockNamespace.ofTag(name.toString())
            .filter(ns -> !ns.isRun())
            .map(
                ns ->
                    "the directory of lock namespace "
                        + ns.tag()
                        + ", not a run: its controller files are not migrated")
            .orElse(null);
  }

  private static boolean hasControllerFiles(Path dir) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.nodb")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
    }
  }

  /** Says why a directory could not be listed, naming it and the cause. */
  static String listingProblem(Path dir, RuntimeException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    String why =
        cause instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
            ? fs.getReason()
            : cause.getClass().getSimpleName();
    return "cannot list " + dir + ": " + why;
  }

  private List<Row> migrateRun(
      RunDir run, String label, Map<Path, NoDbStore> stores, List<LockClient> clients) {
    List<Row> rows = new ArrayList<>();
    NoDbStore store = null;
    List<String> names;
    try {
      names = ControllerFiles.list(run);
    } catch (UncheckedIOException | java.nio.file.DirectoryIteratorException e) {
      // one run that cannot be listed does not end the migration of the others
      rows.add(row(label, "-", null, Result.FAILED, listingProblem(run.dir(), e), null));
      return rows;
    }
    for (String name : names) {
      ControllerFile f = ControllerFile.read(run.dir(), name);
      if (!f.readable()) {
        rows.add(row(label, name, null, Result.REFUSED, f.corrupt(), null));
        continue;
      }
      if (f.legacy() == null) {
        rows.add(row(label, name, null, Result.CURRENT, null, null));
        continue;
      }
      if (dryRun) {
        rows.add(row(label, name, f.legacy(), Result.WOULD_MIGRATE, null, null));
        continue;
      }
      if (store == null) {
        store = storeFor(run, stores, clients);
      }
      rows.add(apply(store, run, label, name, f.legacy()));
    }
    if (store != null) {
      store.clearCache();
    }
    return rows;
  }

  /** Loads and dumps one legacy file under its lock, with the store's own migration. */
  private static Row apply(
      NoDbStore store, RunDir run, String label, String name, ControllerFile.Legacy plan) {
    try {
      Optional<ControllerType<?, ?>> ct = Controllers.forFile(name);
      NoDbBase<?> c =
          ct.isPresent()
              ? store.getInstance(ct.get().controllerClass(), run.dir())
              : store.getTree(run.dir(), name);
      if (c.format() != 0) {
        return row(
            label, name, plan, Result.CURRENT, "migrated meanwhile by another process", null);
      }
      try (LockedScope<?> scope = c.lock()) {
        if (c.format() != 0) {
          return row(
              label, name, plan, Result.CURRENT, "migrated meanwhile by another process", null);
        }
        scope.commit();
      }
      return row(label, name, plan, Result.MIGRATED, null, backupOf(run, name));
    } catch (io.nodb.store.NoDbCorruptFileException e) {
      return row(label, name, plan, Result.REFUSED, e.problem(), null);
    } catch (LockBackendUnavailableException e) {
      throw e;
    } catch (NoDbException | UncheckedIOException e) {
      return row(label, name, plan, Result.FAILED, e.getMessage(), null);
    }
  }

  private static String backupOf(RunDir run, String name) {
    return NoDbFiles.inspect(run.dir(), name, NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE, null)
        .header()
        .flatMap(NoDbFileInfo.Header::legacyBackup)
        .orElse(null);
  }

  private NoDbStore storeFor(RunDir run, Map<Path, NoDbStore> stores, List<LockClient> clients) {
    Path key = root.redisUrl() == null ? run.runsRoot() : Path.of("redis");
    return stores.computeIfAbsent(
        key,
        k -> {
          LockClient client = ClientFactory.create(root.redisUrl(), run.runsRoot());
          clients.add(client);
          return NoDbStore.builder()
              .lockClient(client)
              .lockWait(java.time.Duration.ofSeconds(lockWaitSeconds))
              .build();
        });
  }

  private static Row row(
      String run,
      String name,
      ControllerFile.Legacy legacy,
      Result result,
      String reason,
      String backup) {
    return new Row(
        run,
        name,
        legacy == null ? null : legacy.pythonClass(),
        legacy == null ? null : legacy.controller() == null ? "tree" : legacy.controller(),
        legacy == null ? List.of() : legacy.report().mapped(),
        legacy == null ? List.of() : legacy.report().kept(),
        result,
        reason,
        backup);
  }

  private void printText(
      PrintWriter out, int runCount, List<Row> rows, Map<Result, Integer> counts) {
    List<Row> shown = rows.stream().filter(r -> r.result() != Result.CURRENT).toList();
    if (!shown.isEmpty()) {
      TablePrinter t =
          new TablePrinter("RUN", "FILE", "PYTHON CLASS", "CONTROLLER", "MAPPED", "KEPT", "RESULT");
      for (Row r : shown) {
        t.row(
            r.run(),
            r.file(),
            r.pythonClass(),
            r.controller(),
            r.pythonClass() == null ? null : Integer.toString(r.mapped().size()),
            r.pythonClass() == null ? null : Integer.toString(r.kept().size()),
            r.result().label + (r.reason() == null ? "" : ": " + r.reason()));
      }
      t.print(out);
      out.println();
    }
    TablePrinter summary = new TablePrinter("RESULT", "FILES");
    counts.forEach((k, v) -> summary.row(k.label, Integer.toString(v)));
    summary.print(out);
    out.println();
    out.println(
        runCount
            + " run(s), "
            + rows.size()
            + " controller file(s)"
            + (dryRun ? "; dry run, nothing was written" : "")
            + (counts.get(Result.MIGRATED) > 0
                ? "; originals kept beside each migrated file as <file>.format0-<hash>"
                : ""));
    out.flush();
  }

  private Map<String, Object> json(int runCount, List<Row> rows, Map<Result, Integer> counts) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("dryRun", dryRun);
    doc.put("runs", runCount);
    List<Map<String, Object>> files = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", r.run());
      m.put("file", r.file());
      m.put("result", r.result().label);
      m.put("reason", r.reason());
      m.put("pythonClass", r.pythonClass());
      m.put("controller", r.controller());
      m.put("mapped", r.mapped());
      m.put("kept", r.kept());
      m.put("backup", r.backup());
      files.add(m);
    }
    doc.put("files", files);
    Map<String, Object> summary = new LinkedHashMap<>();
    counts.forEach((k, v) -> summary.put(k.label, v));
    doc.put("summary", summary);
    return doc;
  }
}
