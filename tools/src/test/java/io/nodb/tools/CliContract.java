package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LossReason;
import io.nodb.testing.redis.RunIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end behaviour of the {@code nodb} commands on one backend: each command runs as a
 * separate process ({@link CliProcess}) while this JVM holds locks through its own {@link
 * LockClient}. Subclasses say how to reach the backend.
 */
abstract class CliContract {

  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path runsRoot;

  Path runDir;
  String runId;
  LockClient client;
  private final List<LockHandle> held = new ArrayList<>();

  /** The cache column for a file that was never cached: {@code -} without Redis. */
  String uncachedState() {
    return "-";
  }

  /** Returns a client of the backend the CLI is pointed at. */
  abstract LockClient newClient(Path runsRoot);

  /** Returns the global options that point the CLI at the backend (empty for local). */
  abstract List<String> backendArgs();

  /** Returns how {@code backendDescription()} starts for this backend. */
  abstract String backendPrefix();

  /** Returns the first argument of {@link OrphanMaker}: a Redis URL or the runs root. */
  abstract String orphanMakerBackend();

  @BeforeEach
  void createRun() throws IOException {
    runId = RunIds.unique("cli");
    runDir = Files.createDirectory(runsRoot.resolve(runId));
    client = newClient(runsRoot);
  }

  @AfterEach
  void closeClient() {
    held.forEach(LockHandle::close);
    client.close();
  }

  CliProcess.Result nodb(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(backendArgs());
    return CliProcess.nodb(all.toArray(String[]::new));
  }

  LockHandle hold(String run, String name) {
    LockHandle h = client.acquire(LockKey.of(run, name), LEASE, Duration.ofSeconds(5));
    held.add(h);
    return h;
  }

  void writeController(String name, long version, long fence) throws IOException {
    Path file = runDir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "{\"nodb\": {\"format\": 1, \"type\": \""
            // the type its controller (or a tree of that name) reads
            + io.nodb.store.NoDbTree.typeNameOf(name)
            + "\", \"version\": "
            + version
            + ", \"fence\": "
            + fence
            + ", \"writtenAt\": \"2025-05-01T10:15:30Z\", \"writer\": \"hpc-3:4121\"},"
            + " \"state\": {\"stations\": [1, 2, 3]}}");
  }

  @Test
  void statusOfAnEmptyRunSaysSo() {
    CliProcess.Result text = nodb("status", runDir.toString());
    CliProcess.Result json = nodb("status", runDir.toString(), "--json");

    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.stdout())
        .contains("run      " + runId)
        .contains("backend  " + backendPrefix())
        .contains("no controller files (*.nodb) and no locks in this run");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode doc = json.json();
    assertThat(doc.path("runId").asText()).isEqualTo(runId);
    assertThat(doc.path("backend").asText()).startsWith(backendPrefix());
    assertThat(doc.path("controllers").isArray()).isTrue();
    assertThat(doc.path("controllers")).isEmpty();
  }

  @Test
  void statusShowsHolderTtlFenceAndFileHeaderAndLocksWithoutFiles() throws IOException {
    writeController("climate.nodb", 12, 7);
    writeController("sub/landuse.nodb", 3, 2);
    LockHandle climate = hold(runId, "climate.nodb");
    LockHandle orphanName = hold(runId, "nofile.nodb");
    String thread = Thread.currentThread().getName();
    long pid = ProcessHandle.current().pid();

    CliProcess.Result text = nodb("status", runDir.toString(), "--wide");
    CliProcess.Result narrow = nodb("status", runDir.toString());
    CliProcess.Result json = nodb("--json", "status", runDir.toString());

    assertThat(text.exitCode()).as(text.toString()).isZero();
    String climateRow = line(text.stdout(), "climate.nodb");
    assertThat(climateRow)
        .contains("held", ":" + pid + " '" + thread + "'", "hpc-3:4121", "2025-05-01T10:15:30Z")
        .containsPattern("\\s" + climate.fence() + "\\s+12\\s+7\\s");
    assertThat(line(text.stdout(), "sub/landuse.nodb")).contains("free").endsWith("ok");
    assertThat(line(text.stdout(), "nofile.nodb")).contains("held").endsWith("missing");
    assertThat(text.stdout()).contains("2 controller file(s), 2 lock(s) held");

    assertThat(narrow.exitCode()).as(narrow.toString()).isZero();
    assertThat(narrow.stdout().lines())
        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    assertThat(line(narrow.stdout(), "climate.nodb"))
        .contains("held", ":" + pid + " '")
        .containsPattern("\\s" + climate.fence() + "\\s+12\\s+\\d+ d ago\\s")
        .doesNotContain("2025-05-01", "hpc-3:4121");
    assertThat(narrow.stdout()).contains("--wide for every column");

    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.json().path("schemaVersion").asInt()).isEqualTo(1);
    JsonNode controllers = json.json().path("controllers");
    assertThat(controllers).hasSize(3);
    JsonNode c = controllers.get(0);
    assertThat(c.path("name").asText()).isEqualTo("climate.nodb");
    assertThat(c.path("lock").asText()).isEqualTo("held");
    assertThat(c.path("owner").path("pid").asLong()).isEqualTo(pid);
    assertThat(c.path("owner").path("thread").asText()).isEqualTo(thread);
    assertThat(c.path("owner").path("fence").asLong()).isEqualTo(climate.fence());
    assertThat(c.path("owner").path("ttlLeftMillis").asLong()).isBetween(1L, LEASE.toMillis());
    assertThat(c.path("owner").path("heldForMillis").asLong()).isNotNegative();
    assertThat(c.path("file").path("state").asText()).isEqualTo("ok");
    assertThat(c.path("file").path("version").asLong()).isEqualTo(12);
    assertThat(c.path("file").path("fence").asLong()).isEqualTo(7);
    assertThat(c.path("file").path("writer").asText()).isEqualTo("hpc-3:4121");
    assertThat(c.path("cache").isNull() ? "-" : c.path("cache").asText())
        .as("cache state of a file nodb did not cache")
        .isEqualTo(uncachedState());
    JsonNode noFile = controllers.get(1);
    assertThat(noFile.path("name").asText()).isEqualTo("nofile.nodb");
    assertThat(noFile.path("owner").path("fence").asLong()).isEqualTo(orphanName.fence());
    assertThat(noFile.path("file").path("state").asText()).isEqualTo("missing");
    JsonNode landuse = controllers.get(2);
    assertThat(landuse.path("name").asText()).isEqualTo("sub/landuse.nodb");
    assertThat(landuse.path("lock").asText()).isEqualTo("free");
    assertThat(landuse.path("owner").isNull()).isTrue();
  }

  @Test
  void statusDiagnosesCorruptFilesAndExits4WhenNoneCanBeRead() throws IOException {
    writeController("climate.nodb", 1, 1);
    Files.writeString(runDir.resolve("landuse.nodb"), "{\"nodb\": {\"format\": 1, \"vers");
    Files.writeString(runDir.resolve("soils.nodb"), "{\"state\": {}}");

    CliProcess.Result text = nodb("status", runDir.toString());
    CliProcess.Result json = nodb("status", runDir.toString(), "--json");

    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(line(text.stdout(), "landuse.nodb")).endsWith("corrupt [1]");
    assertThat(line(text.stdout(), "soils.nodb")).endsWith("corrupt [2]");
    assertThat(line(text.stdout(), "[1] landuse.nodb: "))
        .contains("truncated: the JSON ends early");
    assertThat(line(text.stdout(), "[2] soils.nodb: "))
        .contains("missing the 'nodb' header object");
    assertThat(text.stdout()).contains("2 corrupt file(s)");
    CliProcess.Result wide = nodb("status", runDir.toString(), "--wide");
    assertThat(line(wide.stdout(), "landuse.nodb"))
        .contains("corrupt: truncated: the JSON ends early");
    JsonNode soils = json.json().path("controllers").get(2);
    assertThat(soils.path("file").path("state").asText()).isEqualTo("corrupt");
    assertThat(soils.path("file").path("corrupt").asText()).contains("missing the 'nodb' header");

    Files.delete(runDir.resolve("climate.nodb"));
    CliProcess.Result none = nodb("status", runDir.toString());
    assertThat(none.exitCode()).as(none.toString()).isEqualTo(4);
    assertThat(none.stdout()).contains("corrupt [1]");
    assertThat(none.stderr()).contains("no controller file of run " + runId + " could be read");
  }

  @Test
  void unlockWithoutYesAndWithoutATerminalRefusesAndTheLockStaysHeld() {
    LockHandle h = hold(runId, "climate.nodb");

    CliProcess.Result r = nodb("unlock", runDir.toString(), "climate.nodb");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.stderr()).contains("stdin is not a terminal; pass --yes to confirm");
    assertThat(r.stdout()).contains("current owner: ").contains("token " + h.tokenDigest());
    assertThat(client.owner(h.key()).orElseThrow().tokenDigest()).isEqualTo(h.tokenDigest());
    h.extend(LEASE); // throws LockLostException if the lock was taken from the holder
    assertThat(client.admin().audit(runId, 10)).isEmpty();
  }

  @Test
  void unlockEvictsOnlyTheExpectedHolderAndATypoIsNotFound() {
    LockHandle h = hold(runId, "climate.nodb");

    CliProcess.Result stale =
        nodb("unlock", runDir.toString(), "climate.nodb", "--expect", "0badf00d", "--yes");
    assertThat(stale.exitCode()).as(stale.toString()).isEqualTo(1);
    assertThat(stale.stderr()).contains("changed (expected token 0badf00d); nothing was forced");
    assertThat(client.owner(h.key()).orElseThrow().tokenDigest()).isEqualTo(h.tokenDigest());
    assertThat(client.admin().audit(runId, 10)).isEmpty();

    CliProcess.Result typo = nodb("unlock", runDir.toString(), "climat.nodb", "--yes");
    assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(4);
    assertThat(typo.stderr()).contains("did you mean 'climate.nodb'?");

    CliProcess.Result right =
        nodb("unlock", runDir.toString(), "climate.nodb", "--expect", h.tokenDigest(), "--yes");
    assertThat(right.exitCode()).as(right.toString()).isZero();
    assertThat(client.isLocked(h.key())).isFalse();
  }

  @Test
  void unlockWithForceButNoTerminalAndNoYesRefuses() {
    LockHandle h = hold(runId, "climate.nodb");

    CliProcess.Result r = nodb("unlock", runDir.toString(), "climate.nodb", "--force");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.stderr()).contains("pass --yes");
    assertThat(r.stdout()).contains("current owner: ").contains("fence " + h.fence());
    assertThat(client.isLocked(h.key())).isTrue();
    assertThat(client.admin().audit(runId, 10)).isEmpty();
  }

  @Test
  void forcedUnlockShowsThePreviousOwnerFreesTheLockAndIsAudited() {
    LockHandle h = hold(runId, "climate.nodb");
    long pid = ProcessHandle.current().pid();

    CliProcess.Result text =
        nodb("unlock", runDir.toString(), "climate.nodb", "--force", "--yes", "--reason", "stuck");

    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.stdout())
        .contains("force-unlocked climate.nodb of run " + runId)
        .containsPattern("previous owner: \\S+:" + pid + " '[^']+', fence " + h.fence());
    assertThat(client.isLocked(h.key())).isFalse();
    assertThatThrownBy(() -> h.extend(LEASE))
        .isInstanceOfSatisfying(
            LockLostException.class, e -> assertThat(e.reason()).isEqualTo(LossReason.FORCED));

    CliProcess.Result again =
        nodb("unlock", runDir.toString(), "climate.nodb", "--force", "--yes", "--json");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.json().path("outcome").asText()).isEqualTo("not-locked");
    assertThat(again.json().path("previousOwner").isNull()).isTrue();

    CliProcess.Result audit = nodb("audit", runDir.toString(), "--json");
    assertThat(audit.exitCode()).as(audit.toString()).isZero();
    JsonNode entries = audit.json().path("entries");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).path("operation").asText()).isEqualTo("force");
    assertThat(entries.get(0).path("name").asText()).isEqualTo("climate.nodb");
    assertThat(entries.get(0).path("reason").asText()).isEqualTo("stuck");
    assertThat(entries.get(0).path("previousOwner").path("pid").asLong()).isEqualTo(pid);
    assertThat(entries.get(0).path("previousOwner").path("fence").asLong()).isEqualTo(h.fence());
  }

  @Test
  void forcedUnlockInJsonNamesThePreviousOwner() {
    LockHandle h = hold(runId, "climate.nodb");

    CliProcess.Result r =
        nodb("--json", "unlock", runDir.toString(), "climate.nodb", "--force", "--yes");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.path("outcome").asText()).isEqualTo("forced");
    assertThat(doc.path("previousOwner").path("fence").asLong()).isEqualTo(h.fence());
    assertThat(doc.path("previousOwner").path("tokenDigest").asText()).hasSize(8);
    assertThat(client.isLocked(h.key())).isFalse();
  }

  @Test
  void clearLocksClearsEveryLockOfThatRunOnly() throws IOException {
    String otherRun = RunIds.unique("cli-other");
    Files.createDirectory(runsRoot.resolve(otherRun));
    hold(runId, "climate.nodb");
    hold(runId, "sub/landuse.nodb");
    LockHandle other = hold(otherRun, "climate.nodb");

    CliProcess.Result r =
        nodb("clear-locks", runDir.toString(), "--yes", "--reason", "maintenance");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("cleared 2 lock(s) of run " + runId);
    String pid = ":" + ProcessHandle.current().pid() + " '";
    assertThat(line(r.stdout(), "climate.nodb ")).contains(pid);
    assertThat(line(r.stdout(), "sub/landuse.nodb ")).contains(pid);
    assertThat(client.admin().locks(runId)).isEmpty();
    assertThat(client.owner(other.key())).isPresent();
    assertThat(client.admin().audit(otherRun, 10)).isEmpty();
    assertThat(client.admin().audit(runId, 10))
        .extracting(e -> e.operation() + " " + e.key().name() + " " + e.reason())
        .containsExactlyInAnyOrder(
            "clear climate.nodb maintenance", "clear sub/landuse.nodb maintenance");

    CliProcess.Result empty = nodb("clear-locks", runDir.toString(), "--json");
    assertThat(empty.exitCode()).as(empty.toString()).isZero();
    assertThat(empty.json().path("cleared")).isEmpty();
  }

  @Test
  void auditListsForcedUnlocksAndClearsNewestFirst() {
    hold(runId, "climate.nodb");
    client.admin().forceUnlock(LockKey.of(runId, "climate.nodb"), "first");
    hold(runId, "landuse.nodb");
    client.admin().clearLocks(runId, "second");

    CliProcess.Result text = nodb("audit", runDir.toString(), "--wide");
    CliProcess.Result narrow = nodb("audit", runDir.toString());
    CliProcess.Result json = nodb("audit", runDir.toString(), "--json");

    assertThat(narrow.exitCode()).as(narrow.toString()).isZero();
    assertThat(narrow.stdout()).startsWith("WHEN ").containsPattern("\\d+ s ago\\s+clear");
    assertThat(narrow.stdout().lines())
        .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
    assertThat(text.exitCode()).as(text.toString()).isZero();
    String[] lines = text.stdout().split("\n");
    assertThat(lines[0]).startsWith("AT").contains("OPERATION", "PREVIOUS OWNER", "REASON");
    assertThat(lines[1]).contains("clear", "landuse.nodb").endsWith("second");
    assertThat(lines[2]).contains("force", "climate.nodb").endsWith("first");
    JsonNode entries = json.json().path("entries");
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).path("reason").asText()).isEqualTo("second");
    assertThat(entries.get(1).path("reason").asText()).isEqualTo("first");
    assertThat(entries.get(0).path("actor").asText()).contains("user=");

    CliProcess.Result none = nodb("audit", runsRoot.resolve(makeRun()).toString());
    assertThat(none.stdout()).contains("no forced unlocks or clears recorded");
  }

  @Test
  void doctorReportsTheBackendAndAnOrphanedLockOfThisHost() {
    hold(runId, "alive.nodb");
    CliProcess.Result maker =
        CliProcess.run(
            Map.of(), OrphanMaker.class.getName(), orphanMakerBackend(), runId, "gone.nodb");
    assertThat(maker.exitCode()).as(maker.toString()).isZero();
    assertThat(maker.stdout()).contains("held");

    CliProcess.Result text = nodb("doctor", runDir.toString(), "--wide");
    CliProcess.Result narrow = nodb("doctor", runDir.toString());
    CliProcess.Result json = nodb("doctor", runDir.toString(), "--json");

    assertThat(narrow.exitCode()).as(narrow.toString()).isZero();
    assertThat(narrow.stdout().lines())
        .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
    assertThat(narrow.stdout().replaceAll("\\s+", " ")).contains("gone.nodb");

    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(line(text.stdout(), "orphans"))
        .contains("warn", "2 lock(s) held", "gone.nodb")
        .doesNotContain("alive.nodb");
    assertThat(text.stdout()).contains("doctor: warnings above");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode doc = json.json();
    assertThat(doc.path("backend").asText()).startsWith(backendPrefix());
    assertThat(doc.path("orphans")).hasSize(1);
    assertThat(doc.path("orphans").get(0).path("name").asText()).isEqualTo("gone.nodb");
    assertThat(doc.path("orphans").get(0).path("pid").asLong())
        .isNotEqualTo(ProcessHandle.current().pid());
    assertDoctorBackendChecks(doc, text.stdout());
  }

  /** Asserts the backend-specific checks of {@code nodb doctor}. */
  abstract void assertDoctorBackendChecks(JsonNode doc, String text);

  static JsonNode check(JsonNode doc, String name) {
    for (JsonNode c : doc.path("checks")) {
      if (c.path("check").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check '" + name + "' in " + doc);
  }

  private String makeRun() {
    String id = RunIds.unique("cli-empty");
    try {
      Files.createDirectory(runsRoot.resolve(id));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return id;
  }

  /** Returns the first line of {@code text} that starts with {@code prefix}. */
  static String line(String text, String prefix) {
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no line starting with '" + prefix + "' in\n" + text));
  }
}
