package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.testing.legacy.LegacyFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    // the pup's locks are its own run's, not the parent's
    assertThat(burned.resolve(".nodb-locks")).isDirectory();
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
            io.nodb.store.NoDbStoreBuilder.create().lockClient(client).build()) {
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
