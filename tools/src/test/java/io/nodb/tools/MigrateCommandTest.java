package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.testing.legacy.LegacyFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code nodb migrate} in process on a generated runs root of 100 runs made of the real-shaped
 * fixtures: dry run writes nothing, apply migrates every file keeping its original, a second apply
 * changes nothing, refused files get their reason and exit 4; status and inspect agree with it.
 */
class MigrateCommandTest {

  private static final ObjectMapper M = new ObjectMapper();
  private static final int RUNS = 100;
  // per 4 runs: 5 + 4 + 2 + 2 files
  private static final int FILES = RUNS / 4 * 13;

  @TempDir Path tmp;

  record Result(int code, String out, String err) {
    JsonNode json() {
      try {
        return M.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static Result nodb(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = NodbCli.commandLine(args);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Every file under the root with its bytes. */
  private static Map<Path, byte[]> snapshot(Path root) throws IOException {
    Map<Path, byte[]> all = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (!p.toString().contains(".nodb-locks")) {
          all.put(root.relativize(p), Files.readAllBytes(p));
        }
      }
    }
    return all;
  }

  private static void assertSameFiles(Map<Path, byte[]> a, Map<Path, byte[]> b) {
    assertThat(b.keySet()).isEqualTo(a.keySet());
    a.forEach((k, v) -> assertThat(b.get(k)).as(k.toString()).isEqualTo(v));
  }

  @Test
  void dryRunThenApplyThenApplyAgainOnAHundredRuns() throws IOException {
    Path root = LegacyFixtures.generateRuns(tmp.resolve("runs"), RUNS);
    Map<Path, byte[]> before = snapshot(root);

    Result dry = nodb("migrate", root.toString(), "--dry-run", "--json");
    assertThat(dry.code()).as(dry.err()).isZero();
    JsonNode d = dry.json();
    assertThat(d.path("runs").asInt()).isEqualTo(RUNS);
    assertThat(d.path("summary").path("would migrate").asInt()).isEqualTo(FILES);
    assertThat(d.path("files")).hasSize(FILES);
    JsonNode climate = find(d, "run-0000", "climate.nodb");
    assertThat(climate.path("controller").asText()).isEqualTo("Climate");
    // the 2018 run's station id is the number 108062: read as text, and kept verbatim too
    assertThat(strings(climate.path("kept")))
        .contains("_config", "_ss_storm_date", "_climatestation");
    assertThat(strings(climate.path("mapped"))).contains("_climate_mode", "_input_years");
    assertThat(find(d, "run-0000", "soils.nodb").path("controller").asText()).isEqualTo("tree");
    assertSameFiles(before, snapshot(root));

    Result text = nodb("migrate", root.toString(), "--dry-run");
    assertThat(text.code()).isZero();
    assertThat(text.out())
        .contains("would migrate", "RESULT", "FILES", RUNS + " run(s), " + FILES + " controller")
        .contains("dry run, nothing was written");

    Result apply = nodb("migrate", root.toString(), "--json");
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.json().path("summary").path("migrated").asInt()).isEqualTo(FILES);
    for (JsonNode f : apply.json().path("files")) {
      Path file = root.resolve(f.path("run").asText()).resolve(f.path("file").asText());
      JsonNode written = M.readTree(file.toFile());
      assertThat(written.at("/nodb/format").asInt()).isEqualTo(1);
      Path backup = file.resolveSibling(f.path("backup").asText());
      assertThat(Files.readAllBytes(backup)).isEqualTo(before.get(root.relativize(file)));
    }
    Map<Path, byte[]> migrated = snapshot(root);

    Result again = nodb("migrate", root.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out())
        .containsPattern("current\\s+" + FILES)
        .containsPattern("migrated\\s+0\\b");
    assertSameFiles(migrated, snapshot(root));
  }

  @Test
  void theLockDirectoriesOfNamespacesUnderARunsRootAreNoRunsForMigrateOrStatus()
      throws IOException {
    Path root = LegacyFixtures.generateRuns(tmp.resolve("runs"), 4);
    List<LockNamespace> namespaces =
        List.of(
            LockNamespace.of(LockNamespace.JOB, "billing"),
            LockNamespace.of(LockNamespace.FLIGHT, "quotes"),
            LockNamespace.of("shedlock", "default"));
    try (LockClient locks = LockClient.builder().local(root).build()) {
      List<LockHandle> held = new ArrayList<>();
      for (LockNamespace ns : namespaces) {
        held.add(
            locks.acquire(LockKey.of(ns, "export"), Duration.ofSeconds(30), Duration.ofSeconds(5)));
      }
      for (LockNamespace ns : namespaces) {
        assertThat(root.resolve(ns.tag()).resolve(".nodb-locks")).isDirectory();
      }

      Result dry = nodb("migrate", root.toString(), "--dry-run", "--json");
      assertThat(dry.code()).as(dry.out() + dry.err()).isZero();
      assertThat(dry.json().path("runs").asInt()).isEqualTo(4);
      assertThat(dry.json().path("files").findValuesAsText("run"))
          .isNotEmpty()
          .allMatch(run -> run.startsWith("run-"));

      Result fleet = nodb("status", root.toString(), "--json");
      assertThat(fleet.code()).as(fleet.out() + fleet.err()).isZero();
      assertThat(fleet.json().path("locks").findValuesAsText("runId"))
          .containsExactlyInAnyOrder("job:billing", "flight:quotes", "shedlock:default");
      assertThat(fleet.out() + fleet.err()).doesNotContain("invalid", "not a run");

      // a namespace's directory named as a run is its locks, not a run with a bad id
      Result one = nodb("status", root.resolve("job:billing").toString(), "--json");
      assertThat(one.code()).as(one.out() + one.err()).isZero();
      assertThat(one.json().path("controllers")).hasSize(1);
      assertThat(one.json().path("controllers").get(0).path("name").asText()).isEqualTo("export");
      assertThat(one.json().path("controllers").get(0).path("lock").asText()).isEqualTo("held");
      held.forEach(LockHandle::release);
    }
  }

  @Test
  void aControllerFileInANamespaceDirectoryIsRefusedNeverMigratedAsARun() throws IOException {
    Path root = LegacyFixtures.generateRuns(tmp.resolve("runs"), 4);
    Path ns = Files.createDirectories(root.resolve("job:billing"));
    byte[] stray = Files.readAllBytes(root.resolve("run-0000").resolve("climate.nodb"));
    Files.write(ns.resolve("climate.nodb"), stray);

    Result r = nodb("migrate", root.toString(), "--json");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(r.json().path("runs").asInt()).isEqualTo(4);
    JsonNode refused = find(r.json(), "job:billing", "-");
    assertThat(refused.path("result").asText()).isEqualTo("refused");
    assertThat(refused.path("reason").asText()).contains("lock namespace job:billing", "not a run");
    assertThat(Files.readAllBytes(ns.resolve("climate.nodb"))).isEqualTo(stray);
    Result direct = nodb("migrate", ns.toString(), "--json");
    assertThat(direct.code()).as(direct.out() + direct.err()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(direct.err() + direct.out()).contains("lock namespace job:billing", "not a run");
    assertThat(Files.readAllBytes(ns.resolve("climate.nodb"))).isEqualTo(stray);
  }

  @Test
  void refusedFilesAreReportedWithTheirReasonAndExitFourWhileTheOthersMigrate() throws IOException {
    Path run = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("runs").resolve("mica"));
    byte[] landuse = Files.readAllBytes(run.resolve("landuse.nodb"));
    Files.write(run.resolve("climate.nodb"), landuse);
    byte[] hostile =
        "{\"py/object\": \"wepppy.nodb.topaz.Topaz\", \"x\": {\"py/function\": \"os.system\"}}"
            .getBytes(StandardCharsets.UTF_8);
    Files.write(run.resolve("topaz.nodb"), hostile);

    Result r = nodb("migrate", run.toString(), "--json");
    assertThat(r.code()).isEqualTo(ExitCode.NOT_FOUND);
    JsonNode climate = find(r.json(), "mica", "climate.nodb");
    assertThat(climate.path("result").asText()).isEqualTo("refused");
    assertThat(climate.path("reason").asText()).contains("wepppy.nodb.landuse.Landuse");
    JsonNode topaz = find(r.json(), "mica", "topaz.nodb");
    assertThat(topaz.path("reason").asText()).contains("py/function", "$.x");
    assertThat(find(r.json(), "mica", "ron.nodb").path("result").asText()).isEqualTo("migrated");
    assertThat(Files.readAllBytes(run.resolve("climate.nodb"))).isEqualTo(landuse);
    assertThat(Files.readAllBytes(run.resolve("topaz.nodb"))).isEqualTo(hostile);

    // status and inspect say the same about both files
    ControllerFile status = ControllerFile.read(run, "topaz.nodb");
    assertThat(status.readable()).isFalse();
    assertThat(status.corrupt()).contains("py/function");
    Result inspect = nodb("inspect", run.resolve("climate.nodb").toString());
    assertThat(inspect.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(inspect.out()).contains("wepppy.nodb.landuse.Landuse");
  }

  @Test
  void statusInspectAndTheStoreAgreeOnEveryFixture() throws IOException {
    Path runs = tmp.resolve("agree");
    for (String fixture : LegacyFixtures.ALL) {
      String runName = fixture.substring(0, fixture.indexOf('/'));
      String fileName = fixture.substring(fixture.indexOf('/') + 1);
      Path run = LegacyFixtures.copyRun(runName, runs.resolve(runName));
      ControllerFile f = ControllerFile.read(run, fileName);
      assertThat(f.readable()).as(fixture + ": " + f.corrupt()).isTrue();
      assertThat(f.legacy()).as(fixture).isNotNull();
      Result inspect = nodb("inspect", run.resolve(fileName).toString(), "--json");
      assertThat(inspect.code()).as(fixture + inspect.err()).isZero();
      assertThat(strings(inspect.json().at("/legacy/kept")))
          .as(fixture)
          .isEqualTo(f.legacy().report().kept());
      assertThat(inspect.json().path("note").asText())
          .contains(f.legacy().controller() == null ? "legacy, no controller" : "legacy format 0");
    }
  }

  @Test
  void twoMigrationsOfTheSameRootAtOnceMigrateEachFileOnce() throws Exception {
    Path root = LegacyFixtures.generateRuns(tmp.resolve("race"), 8);
    Map<Path, byte[]> before = snapshot(root);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Callable<Result> migrate =
          () -> {
            start.await();
            return nodb("migrate", root.toString(), "--json");
          };
      var a = pool.submit(migrate);
      var b = pool.submit(migrate);
      start.countDown();
      Result ra = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
      Result rb = b.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(ra.code()).as(ra.err()).isZero();
      assertThat(rb.code()).as(rb.err()).isZero();
      int files = 8 / 4 * 13;
      assertThat(
              ra.json().path("summary").path("migrated").asInt()
                  + rb.json().path("summary").path("migrated").asInt())
          .as("each file migrated by exactly one of them")
          .isEqualTo(files);
    } finally {
      pool.shutdownNow();
    }
    Map<Path, byte[]> after = snapshot(root);
    for (Map.Entry<Path, byte[]> e : before.entrySet()) {
      JsonNode written = M.readTree(after.get(e.getKey()));
      assertThat(written.at("/nodb/format").asInt()).isEqualTo(1);
      assertThat(written.at("/nodb/version").asInt()).as("dumped once").isEqualTo(1);
      Path backup = e.getKey().resolveSibling(written.at("/nodb/legacy/original").asText());
      assertThat(after.get(backup)).isEqualTo(e.getValue());
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"directory", "symlink-outside", "fifo", "other-file"})
  void aBackupNameTakenFailsWithExitOneNamingThePathAndChangesNothing(String kind)
      throws Exception {
    Path run = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("runs").resolve("taken"));
    Path file = run.resolve("climate.nodb");
    byte[] original = Files.readAllBytes(file);
    Path backup = run.resolve(io.nodb.store.internal.LegacyBackup.nameFor(file, original));
    Path outside = Files.createDirectories(tmp.resolve("outside")).resolve("target");
    String found;
    switch (kind) {
      case "directory" -> {
        Files.createDirectories(backup.resolve("inner"));
        found = "a directory";
      }
      case "symlink-outside" -> {
        Files.createSymbolicLink(backup, outside);
        found = "a symbolic link (to " + outside + ")";
      }
      case "fifo" -> {
        Process p = new ProcessBuilder("mkfifo", backup.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        found = "a FIFO, socket or device";
      }
      default -> {
        Files.writeString(backup, "someone else's");
        found = "a file of 14 bytes with other content";
      }
    }
    Map<Path, byte[]> before = snapshot(run);
    java.util.Set<String> names = listing(run);

    Result r = nodb("migrate", run.toString(), "--json");

    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.FAILURE);
    JsonNode climate = find(r.json(), "taken", "climate.nodb");
    assertThat(climate.path("result").asText()).isEqualTo("failed");
    assertThat(climate.path("reason").asText())
        .contains(backup.toString(), "is taken by " + found, "nothing was changed");
    assertThat(Files.readAllBytes(file)).isEqualTo(original);
    assertThat(outside).doesNotExist();
    // every other file migrated; nothing new beside climate.nodb, the obstacle untouched
    assertThat(find(r.json(), "taken", "ron.nodb").path("result").asText()).isEqualTo("migrated");
    Map<Path, byte[]> after = snapshot(run);
    for (Map.Entry<Path, byte[]> e : before.entrySet()) {
      if (e.getKey().toString().startsWith("climate.nodb")) {
        assertThat(after.get(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
      }
    }
    java.util.Set<String> now = listing(run);
    assertThat(now.stream().filter(n -> n.startsWith("climate") || n.startsWith(".climate")))
        .containsExactlyInAnyOrderElementsOf(
            names.stream()
                .filter(n -> n.startsWith("climate") || n.startsWith(".climate"))
                .toList());
    if (kind.equals("directory")) {
      assertThat(backup.resolve("inner")).isDirectory();
    }

    Result text = nodb("migrate", run.toString());
    assertThat(text.code()).isEqualTo(ExitCode.FAILURE);
    assertThat(text.out()).containsPattern("failed\\s+1\\b");
  }

  /** Names directly in a directory (links and FIFOs included, not followed). */
  private static java.util.Set<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
  }

  @Test
  void nestedPupRunsAreMigratedAsRunsOfTheirOwnNeverAsTreesOfTheParent() throws IOException {
    Path run = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("runs").resolve("mica"));
    Path burned =
        LegacyFixtures.copyRun(
            "2020-Test_Watershed_15", run.resolve("_pups/omni/scenarios/burned"));
    // a pup without its own ron.nodb is still a run of its own (below _pups)
    Path bare = Files.createDirectories(run.resolve("_pups/omni/contrasts/c1"));
    Files.write(
        bare.resolve("climate.nodb"), LegacyFixtures.bytes("2018-Mica_flume1/climate.nodb"));

    Result dry = nodb("migrate", run.toString(), "--dry-run", "--json");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.json().path("runs").asInt()).isEqualTo(3);
    for (JsonNode f : dry.json().path("files")) {
      assertThat(f.path("file").asText()).as("a parent's file").doesNotContain("_pups");
    }
    assertThat(
            find(dry.json(), "mica/_pups/omni/scenarios/burned", "climate.nodb")
                .path("controller")
                .asText())
        .isEqualTo("Climate");
    assertThat(
            find(dry.json(), "mica/_pups/omni/contrasts/c1", "climate.nodb")
                .path("controller")
                .asText())
        .isEqualTo("Climate");

    Result apply = nodb("migrate", run.toString(), "--json");
    assertThat(apply.code()).as(apply.err()).isZero();
    for (String f : java.util.List.of("climate.nodb", "ron.nodb", "landuse.nodb")) {
      JsonNode header = M.readTree(burned.resolve(f).toFile()).path("nodb");
      assertThat(header.path("format").asInt()).isEqualTo(1);
      assertThat(header.path("type").asText()).as(f).isEqualTo(f.replace(".nodb", ""));
    }
    assertThat(M.readTree(bare.resolve("climate.nodb").toFile()).at("/nodb/type").asText())
        .isEqualTo("climate");
    // the pup is locked under the run that holds it (RunIdentity), inside the run tree
    assertThat(burned.resolve(".nodb-locks")).doesNotExist();
    assertThat(run.resolve(".nodb-locks")).isDirectory();
    assertThat(nodb("migrate", run.toString()).out()).containsPattern("migrated\\s+0\\b");

    // status of the parent lists only its own files
    Result status = nodb("status", run.toString(), "--json");
    assertThat(status.out()).doesNotContain("_pups/omni/scenarios/burned/climate.nodb");
    assertThat(ControllerFiles.list(RunDir.of(run))).noneMatch(n -> n.startsWith("_pups"));
  }

  @Test
  void aTreesFileUnderATypedNameIsRefusedAlikeByTheStoreStatusInspectAndMigrate()
      throws IOException {
    Path run = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("runs").resolve("confused"));
    Path sub = Files.createDirectories(run.resolve("sub"));
    Files.copy(run.resolve("landuse.nodb"), sub.resolve("climate.nodb"));
    try (io.nodb.lock.LockClient client =
            io.nodb.lock.LockClient.builder().local(run.getParent()).build();
        io.nodb.store.NoDbStore store =
            io.nodb.store.NoDbStore.builder().lockClient(client).build()) {
      store.getTree(run, "sub/climate.nodb").locked(t -> t.put("touched", true));
      Files.move(
          sub.resolve("climate.nodb"),
          run.resolve("climate.nodb"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Throwable byStore =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> store.getInstance(io.nodb.controllers.Climate.class, run));
      assertThat(byStore).isInstanceOf(io.nodb.store.NoDbWrongTypeException.class);
      String problem = ((io.nodb.store.NoDbCorruptFileException) byStore).problem();
      assertThat(problem).contains("of a tree", "expected 'climate'");

      ControllerFile status = ControllerFile.read(run, "climate.nodb");
      assertThat(status.readable()).isFalse();
      assertThat(status.corrupt()).isEqualTo(problem);
      Result inspect = nodb("inspect", run.resolve("climate.nodb").toString(), "--json");
      assertThat(inspect.code()).isEqualTo(ExitCode.NOT_FOUND);
      assertThat(inspect.json().path("valid").asBoolean()).isFalse();
      assertThat(inspect.json().path("problem").asText()).isEqualTo(problem);
      Result migrate = nodb("migrate", run.toString(), "--json");
      assertThat(migrate.code()).isEqualTo(ExitCode.NOT_FOUND);
      assertThat(find(migrate.json(), "confused", "climate.nodb").path("reason").asText())
          .isEqualTo(problem);
    }
  }

  @Test
  void aRunThatCannotBeListedIsReportedFailedInTheJsonDocumentAndTheOthersMigrate()
      throws Exception {
    Path root = LegacyFixtures.generateRuns(tmp.resolve("deep"), 4);
    // a directory below run-0001 whose absolute path exceeds PATH_MAX: walking into it fails
    // (ENAMETOOLONG) even for root; built and removed with relative paths from a shell
    String part = "d".repeat(200);
    shell(
        root,
        "cd run-0001 && for i in $(seq 1 24); do mkdir " + part + " && cd " + part + "; done");
    try {
      Result r = nodb("migrate", root.toString(), "--dry-run", "--json");
      JsonNode doc = r.json();
      assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.FAILURE);
      assertThat(doc.path("schemaVersion").asInt()).isEqualTo(1);
      JsonNode failed = find(doc, "run-0001", "-");
      assertThat(failed.path("result").asText()).isEqualTo("failed");
      assertThat(failed.path("reason").asText())
          .startsWith("cannot list " + root.resolve("run-0001"))
          .contains("File name too long");
      // the other runs are still checked: 5 + 2 + 2 files (run-0001 holds the 4 of 2020)
      assertThat(doc.at("/summary/would migrate").asInt()).isEqualTo(9);
      assertThat(r.err()).doesNotContain("\tat ");
    } finally {
      shell(root, "rm -rf run-0001/" + part);
    }
  }

  @Test
  void aPupDirectoryThatCannotBeListedFailsAloneAndItsParentMigrates() throws Exception {
    Path run = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("pups").resolve("mica"));
    Files.createDirectories(run.resolve("_pups/omni"));
    // below _pups/omni (no files of its own): a directory whose path exceeds PATH_MAX
    String part = "d".repeat(200);
    shell(
        run,
        "cd _pups/omni && for i in $(seq 1 24); do mkdir " + part + " && cd " + part + "; done");
    try {
      Result r = nodb("migrate", run.toString(), "--dry-run", "--json");
      assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.FAILURE);
      assertThat(r.json().at("/summary/would migrate").asInt()).as(r.out()).isEqualTo(5);
      assertThat(find(r.json(), "mica", "climate.nodb").path("result").asText())
          .isEqualTo("would migrate");
      long failed = 0;
      for (JsonNode f : r.json().path("files")) {
        if (f.path("result").asText().equals("failed")) {
          failed++;
          assertThat(f.path("run").asText()).startsWith("mica/_pups/omni/" + part);
          assertThat(f.path("reason").asText()).contains("File name too long");
        }
      }
      assertThat(failed).isEqualTo(1);
    } finally {
      shell(run, "rm -rf _pups/omni/" + part);
    }
  }

  private static void shell(Path dir, String script) throws Exception {
    Process p =
        new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).inheritIO().start();
    assertThat(p.waitFor()).as(script).isZero();
  }

  @Test
  void aLegacyFileHasNoVersionOrFenceInStatusAndInspectAndTheHelpReadsInSentences()
      throws IOException {
    Path run = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("runs").resolve("shown"));
    Result status = nodb("status", run.toString(), "--json", "--wide");
    assertThat(status.code()).as(status.err()).isZero();
    for (JsonNode c : status.json().path("controllers")) {
      JsonNode file = c.path("file");
      assertThat(file.path("state").asText()).isEqualTo("legacy");
      assertThat(file.has("version") && file.get("version").isNull()).as(c.toString()).isTrue();
      assertThat(file.has("fence") && file.get("fence").isNull()).as(c.toString()).isTrue();
    }
    Result text = nodb("status", run.toString(), "--wide");
    String climateRow =
        text.out().lines().filter(l -> l.startsWith("climate.nodb")).findFirst().orElseThrow();
    // LOCK .. FENCE columns: free, -, -, -, -, then VERSION and FILE FENCE "-", never 0
    assertThat(climateRow).doesNotContainPattern("\\s0\\s").contains("legacy (format 0)");

    Result inspect = nodb("inspect", run.resolve("climate.nodb").toString(), "--json");
    assertThat(inspect.json().at("/header/version").isNull()).isTrue();
    assertThat(inspect.json().at("/header/fence").isNull()).isTrue();
    Result inspectText = nodb("inspect", run.resolve("climate.nodb").toString());
    assertThat(inspectText.out()).containsPattern("version\\s+- \\(legacy\\)");
    assertThat(inspectText.out()).containsPattern("fence\\s+- \\(legacy\\)");

    Result help = nodb("migrate", "--help");
    assertThat(help.out().lines()).allMatch(l -> l.length() <= 80, "fits 80 columns");
    // the command list shows the first description line (wrapped): a whole sentence
    java.util.List<String> lines = nodb("--help").out().lines().toList();
    int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("  migrate")).findFirst().get());
    StringBuilder listed = new StringBuilder(lines.get(at).trim());
    for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("               "); i++) {
      listed.append(' ').append(lines.get(i).trim());
    }
    assertThat(listed.toString()).as("one sentence in the command list").endsWith("to format 1.");
  }

  @Test
  void aLinkToARunIsTheRunForMigrateStatusAndInspectButLinksInsideAreNotFollowed()
      throws Exception {
    Path mica = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("runs").resolve("mica"));
    int files = ControllerFiles.list(RunDir.of(mica)).size();
    assertThat(files).isGreaterThan(1);
    // outside the run: a run reached through a link inside mica, and one linked from the root
    Path elsewhere = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("elsewhere/other"));
    Map<Path, byte[]> outside = snapshot(elsewhere);
    Files.createSymbolicLink(mica.resolve("linked-sub"), elsewhere);
    Files.createSymbolicLink(tmp.resolve("runs").resolve("linked-run"), elsewhere);
    Path link = Files.createSymbolicLink(tmp.resolve("current"), mica);

    Result status = nodb("status", link.toString(), "--json");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.json().path("runId").asText()).isEqualTo("mica");
    assertThat(status.json().path("runDir").asText()).isEqualTo(mica.toRealPath().toString());
    assertThat(status.json().path("controllers").size()).isEqualTo(files);
    Result inspect = nodb("inspect", link.resolve("climate.nodb").toString(), "--json");
    assertThat(inspect.code()).as(inspect.err()).isZero();
    assertThat(inspect.json().path("path").asText())
        .isEqualTo(mica.toRealPath().resolve("climate.nodb").toString());

    Result dry = nodb("migrate", link.toString(), "--dry-run", "--json");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.json().at("/summary/would migrate").asInt()).isEqualTo(files);
    Result apply = nodb("migrate", link.toString(), "--json");
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.json().at("/summary/migrated").asInt()).isEqualTo(files);
    assertThat(find(apply.json(), "mica", "climate.nodb").path("result").asText())
        .isEqualTo("migrated");
    assertThat(M.readTree(mica.resolve("climate.nodb").toFile()).at("/nodb/format").asInt())
        .isEqualTo(1);
    // the runs root's link and the run's link were not followed: nothing written there
    Result rootApply = nodb("migrate", tmp.resolve("runs").toString(), "--json");
    assertThat(rootApply.code()).as(rootApply.err()).isZero();
    assertThat(rootApply.json().path("runs").asInt()).isEqualTo(1);
    assertSameFiles(outside, snapshot(elsewhere));
    assertThat(elsewhere.resolve(".nodb-locks")).doesNotExist();

    // a link to nothing and a run dir that is a file: not found, named
    Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("gone"));
    for (String cmd : java.util.List.of("migrate", "status")) {
      Result r = nodb(cmd, dangling.toString());
      assertThat(r.code()).as(cmd + r.err()).isEqualTo(ExitCode.NOT_FOUND);
      assertThat(r.err()).as(cmd).contains("dangling");
      Result f = nodb(cmd, mica.resolve("climate.nodb").toString());
      assertThat(f.code()).as(cmd + f.err()).isEqualTo(ExitCode.NOT_FOUND);
      assertThat(f.err()).as(cmd).contains("not a directory");
    }
  }

  @Test
  void aRunGivenTwiceThroughALinkAndWithItsOwnPupIsMigratedOnceUnderTrueLabels()
      throws IOException {
    Path mica = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("runs").resolve("mica"));
    Path pup =
        LegacyFixtures.copyRun(
            "2020-Test_Watershed_15", mica.resolve("_pups/omni/scenarios/burned"));
    Path link = Files.createSymbolicLink(tmp.resolve("current"), mica);
    Result r =
        nodb(
            "migrate",
            pup.toString(),
            mica.toString(),
            link.toString(),
            mica.toString(),
            "--dry-run",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().path("runs").asInt()).isEqualTo(2);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode f : r.json().path("files")) {
      assertThat(seen.add(f.path("run").asText() + "|" + f.path("file").asText()))
          .as("listed once: " + f)
          .isTrue();
      assertThat(f.path("run").asText()).isIn("mica", "mica/_pups/omni/scenarios/burned");
    }
    assertThat(find(r.json(), "mica/_pups/omni/scenarios/burned", "ron.nodb")).isNotNull();
  }

  @Test
  void twoRunsPupsOfOneNameLockApartAndStatusShowsEachPupsLockOnlyInThatPup() throws Exception {
    Path root = tmp.resolve("runs");
    Path a = LegacyFixtures.copyRun("2020-Test_Watershed_15", root.resolve("a/_pups/x"));
    Path b = LegacyFixtures.copyRun("2020-Test_Watershed_15", root.resolve("b/_pups/x"));
    Path x = LegacyFixtures.copyRun("2020-Test_Watershed_15", root.resolve("x"));
    Files.createDirectories(root.resolve("a").resolve("ignored"));
    try (io.nodb.lock.LockClient locks = io.nodb.lock.LockClient.builder().local(root).build();
        io.nodb.store.NoDbStore store =
            io.nodb.store.NoDbStore.builder().lockClient(locks).build()) {
      io.nodb.controllers.Climate held = store.getInstance(io.nodb.controllers.Climate.class, a);
      try (var scope = held.lock()) {
        assertThat(held.lockKey()).isEqualTo(io.nodb.lock.LockKey.of("a", "_pups/x/climate.nodb"));
        JsonNode inA = nodb("status", a.toString(), "--json").json();
        assertThat(inA.path("runId").asText()).isEqualTo("a");
        assertThat(inA.path("lockPrefix").asText()).isEqualTo("_pups/x/");
        assertThat(lockOf(inA, "climate.nodb")).isEqualTo("held");
        for (Path other : java.util.List.of(b, x)) {
          assertThat(lockOf(nodb("status", other.toString(), "--json").json(), "climate.nodb"))
              .as(other.toString())
              .isEqualTo("free");
        }
        // the other pup and the top-level run of that name migrate while a's pup is held
        Result migrated = nodb("migrate", b.toString(), x.toString(), "--json", "--lock-wait", "0");
        assertThat(migrated.code()).as(migrated.out()).isZero();
        Result blocked = nodb("migrate", a.toString(), "--json", "--lock-wait", "0");
        assertThat(blocked.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(find(blocked.json(), "a/_pups/x", "climate.nodb").path("result").asText())
            .isEqualTo("failed");
        // clear-locks of a nested run would clear its parent's: refused, naming the parent
        Result clear = nodb("clear-locks", a.toString(), "--yes");
        assertThat(clear.code()).isEqualTo(ExitCode.USAGE);
        assertThat(clear.err()).contains("nested run").contains(root.resolve("a").toString());
        scope.commit();
      }
    }
    assertThat(nodb("migrate", a.toString()).code()).isZero();
  }

  @Test
  void aRunsRootOfAThousandRunsWithPupsIsMigratedOnceEachInOneStore() throws IOException {
    Path root = tmp.resolve("many");
    byte[] tree =
        "{\"py/object\": \"wepppy.nodb.wepp.Wepp\", \"_k\": 1e-400}"
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 1000; i++) {
      Path run = Files.createDirectories(root.resolve(String.format("r%04d", i)));
      Files.write(run.resolve("wepp.nodb"), tree);
      if (i % 100 == 0) {
        Files.write(Files.createDirectories(run.resolve("_pups/x")).resolve("wepp.nodb"), tree);
      }
    }
    Result apply = nodb("migrate", root.toString(), root.toString(), "--json");
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.json().path("runs").asInt()).isEqualTo(1010);
    assertThat(apply.json().at("/summary/migrated").asInt()).isEqualTo(1010);
    assertThat(find(apply.json(), "r0100/_pups/x", "wepp.nodb").path("result").asText())
        .isEqualTo("migrated");
    JsonNode kept =
        new ObjectMapper()
            .enable(
                com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .readTree(root.resolve("r0100/_pups/x/wepp.nodb").toFile())
            .at("/state/_k");
    assertThat(kept.decimalValue()).isEqualByComparingTo("1e-400");
    assertThat(nodb("migrate", root.toString()).out()).containsPattern("migrated\\s+0\\b");
  }

  @Test
  void linkLoopsAndPupPathsThatMakeNoLockNameAreRefusedNamingWhy() throws IOException {
    Path mica = LegacyFixtures.copyRun("2018-Mica_flume1", tmp.resolve("runs").resolve("mica"));
    Path bad = Files.createDirectories(mica.resolve("_pups/omni/scenarios/bad name"));
    Files.write(bad.resolve("climate.nodb"), LegacyFixtures.bytes("2018-Mica_flume1/climate.nodb"));
    Result dry = nodb("migrate", mica.toString(), "--dry-run", "--json");
    assertThat(dry.code()).isEqualTo(ExitCode.NOT_FOUND);
    JsonNode refused = find(dry.json(), "mica/_pups/omni/scenarios/bad name", "-");
    assertThat(refused.path("result").asText()).isEqualTo("refused");
    assertThat(refused.path("reason").asText())
        .contains("nested run")
        .contains("_pups/omni/scenarios/bad name/<file>");
    assertThat(find(dry.json(), "mica", "climate.nodb").path("result").asText())
        .isEqualTo("would migrate");

    // a bare name that is a link loop is a path, not a lock namespace
    Path loop = tmp.resolve("loop1");
    Files.createSymbolicLink(loop, tmp.resolve("loop2"));
    Files.createSymbolicLink(tmp.resolve("loop2"), loop);
    for (String cmd : java.util.List.of("status", "migrate", "audit", "clear-locks")) {
      Result r = nodb(cmd, loop.toString());
      assertThat(r.code()).as(cmd).isEqualTo(ExitCode.NOT_FOUND);
      assertThat(r.err()).as(cmd).contains("link to nothing").doesNotContain("namespace");
    }
  }

  @Test
  void aScenarioOnALinkedRunUsesTheRealRunAndOneOnANestedRunIsRefused() throws IOException {
    Path real = Files.createDirectories(tmp.resolve("runs").resolve("scen"));
    Path link = Files.createSymbolicLink(tmp.resolve("scen-link"), real);
    Result linked =
        nodb("scenario", "thundering-herd", link.toString(), "--threads", "2", "--json");
    assertThat(linked.code()).as(linked.out() + linked.err()).isZero();
    assertThat(linked.json().path("runDir").asText()).isEqualTo(real.toRealPath().toString());
    Path pup = Files.createDirectories(real.resolve("_pups/x"));
    Result nested = nodb("scenario", "thundering-herd", pup.toString(), "--threads", "2");
    assertThat(nested.code()).as(nested.err()).isEqualTo(ExitCode.USAGE);
    assertThat(nested.err()).contains("nested run, locked as run scen");
  }

  private static String lockOf(JsonNode status, String file) {
    for (JsonNode c : status.path("controllers")) {
      if (c.path("name").asText().equals(file)) {
        return c.path("lock").asText();
      }
    }
    throw new AssertionError("no " + file + " in " + status);
  }

  @Test
  void aMissingArgumentIsNotFound() {
    Result r = nodb("migrate", tmp.resolve("nope").toString());
    assertThat(r.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(r.err()).contains("no such directory");
  }

  private static java.util.List<String> strings(JsonNode array) {
    java.util.List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode find(JsonNode doc, String run, String file) {
    for (JsonNode f : doc.path("files")) {
      if (f.path("run").asText().equals(run) && f.path("file").asText().equals(file)) {
        return f;
      }
    }
    throw new AssertionError("no row for " + run + "/" + file + " in " + doc);
  }
}
