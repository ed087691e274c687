package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.testing.redis.RunIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario of {@code nodb scenario} end to end as a separate process on one backend: exit 0
 * and each invariant reported as holding in {@code --json}, plus the outcome counts that show the
 * injected faults really happened. Subclasses say how to reach the backend.
 */
abstract class ScenarioContract {

  @TempDir Path runsRoot;

  /** Returns the global options that point the CLI at the backend (empty for local). */
  abstract List<String> backendArgs();

  /** Returns how {@code backendDescription()} starts for this backend. */
  abstract String backendPrefix();

  /** Returns a client of the backend the CLI is pointed at. */
  abstract LockClient newClient(Path runsRoot);

  CliProcess.Result nodb(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(backendArgs());
    return CliProcess.nodb(all.toArray(String[]::new));
  }

  /** Runs a scenario with {@code --json}, asserts exit 0 and that every invariant holds. */
  JsonNode scenario(String... args) {
    List<String> all = new ArrayList<>(List.of("scenario"));
    all.addAll(List.of(args));
    all.add("--json");
    CliProcess.Result r = nodb(all.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.path("ok").asBoolean()).as(r.toString()).isTrue();
    assertThat(doc.path("backend").asText()).startsWith(backendPrefix());
    assertThat(doc.path("invariants")).as(r.toString()).isNotEmpty();
    for (JsonNode inv : doc.path("invariants")) {
      assertThat(inv.path("ok").asBoolean())
          .as(
              "%s: expected %s, actual %s",
              inv.path("name"), inv.path("expected"), inv.path("actual"))
          .isTrue();
      assertThat(inv.path("actual").asText()).isEqualTo(expectedOf(inv));
    }
    return doc;
  }

  private static String expectedOf(JsonNode inv) {
    String expected = inv.path("expected").asText();
    return expected.startsWith("<") ? inv.path("actual").asText() : expected;
  }

  static String invariant(JsonNode doc, String name) {
    for (JsonNode inv : doc.path("invariants")) {
      if (inv.path("name").asText().equals(name)) {
        return inv.path("actual").asText();
      }
    }
    throw new AssertionError("no invariant '" + name + "' in " + doc);
  }

  static long outcome(JsonNode doc, String name) {
    return doc.path("outcomes").path(name).asLong(0);
  }

  @Test
  void thunderingHerdAllSucceedInTurnWithoutOverlapOrLostUpdate() {
    JsonNode doc = scenario("thundering-herd", "--threads", "8", "--requests", "3", "--hold", "2");

    assertThat(outcome(doc, "ok")).isEqualTo(24);
    assertThat(doc.path("outcomes").size()).isEqualTo(1);
    assertThat(invariant(doc, "overlapping critical sections")).isEqualTo("0");
    assertThat(invariant(doc, "lost updates")).isEqualTo("0");
    assertThat(invariant(doc, "fences out of entry order")).isEqualTo("0");
    assertThat(doc.path("wait").path("count").asInt()).isEqualTo(24);
    assertThat(doc.path("hold").path("p50Millis").asDouble()).isGreaterThanOrEqualTo(2.0);
    assertThat(doc.path("handoffs").asLong()).isPositive();
    assertThat(doc.path("temporary").asBoolean()).isTrue();
    assertThat(Path.of(doc.path("runDir").asText())).doesNotExist();
  }

  @Test
  void thunderingHerdAcrossTwoWorkerJvms() {
    JsonNode doc =
        scenario(
            "thundering-herd",
            "--processes",
            "2",
            "--threads",
            "4",
            "--requests",
            "3",
            "--hold",
            "2");

    assertThat(doc.path("parameters").path("processes").asInt()).isEqualTo(2);
    assertThat(outcome(doc, "ok")).isEqualTo(24);
    assertThat(invariant(doc, "overlapping critical sections")).isEqualTo("0");
    assertThat(invariant(doc, "lost updates")).isEqualTo("0");
    assertThat(doc.path("handoffs").asLong()).isPositive();
  }

  @Test
  void rapidSequentialPlaybackSucceedsBackToBackAndKeepsEveryCommitInARunThatIsKept()
      throws IOException {
    Path run = runsRoot.resolve(RunIds.unique("rapid"));

    JsonNode doc = scenario("rapid-sequential", run.toString(), "--requests", "10");

    assertThat(outcome(doc, "ok")).isEqualTo(10);
    assertThat(invariant(doc, "lost updates")).isEqualTo("0");
    assertThat(doc.path("temporary").asBoolean()).isFalse();
    try (var files = Files.list(run)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("ron.nodb", "climate.nodb", "landuse.nodb", "watershed.nodb");
    }
    CliProcess.Result inspect = CliProcess.nodb("inspect", run.resolve("landuse.nodb").toString());
    assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
    assertThat(inspect.stdout()).contains("\"builds\" : 2");
  }

  @Test
  void ttlExpirationRejectsTheExpiredHoldersDumpAtEveryGuard() {
    JsonNode doc = scenario("ttl-expiration", "--lease", "300");

    assertThat(outcome(doc, "lost-expired")).isEqualTo(1);
    assertThat(outcome(doc, "stale")).isEqualTo(1);
    assertThat(outcome(doc, "fenced")).isEqualTo(1);
    assertThat(outcome(doc, "ok")).isEqualTo(1);
    assertThat(invariant(doc, "stale writes rejected")).isEqualTo("3");
    assertThat(invariant(doc, "file holds B's data")).isEqualTo("222222");
    assertThat(doc.path("wait").path("maxMillis").asDouble()).isGreaterThan(100.0);
  }

  @Test
  void tokenCorruptionReleaseIsNotOwnerAndForceRecovers() {
    JsonNode doc = scenario("token-corruption");

    assertThat(invariant(doc, "A's release")).isEqualTo("NOT_OWNER");
    assertThat(outcome(doc, "not-owner")).isEqualTo(2);
    assertThat(outcome(doc, "busy")).isEqualTo(1);
    assertThat(outcome(doc, "ok")).isEqualTo(1);
    assertThat(doc.path("steps").toString()).contains("SIMULATED token loss");
  }

  @Test
  void orphanedLocksFromADeadJvmBlockUntilExpiryOrForce() {
    JsonNode doc = scenario("orphaned-locks", "--lease", "2500");

    assertThat(outcome(doc, "busy")).isEqualTo(2);
    assertThat(outcome(doc, "ok")).isEqualTo(2);
    assertThat(invariant(doc, "orphan holder process gone")).isEqualTo("yes");
    assertThat(invariant(doc, "force recorded in the audit trail")).isEqualTo("yes");
  }

  @Test
  void clearDuringOperationTellsTheHolderClearedAndNothingStaleLands() {
    JsonNode doc = scenario("clear-during-operation");

    assertThat(invariant(doc, "H learned while working")).isEqualTo("CLEARED");
    assertThat(outcome(doc, "lost-cleared")).isEqualTo(1);
    assertThat(invariant(doc, "stale writes landed")).isEqualTo("0");
  }

  @Test
  void humanOutputEndsWithTheInvariantTableAndNoProgressLineWithoutATerminal() {
    CliProcess.Result r = nodb("scenario", "thundering-herd", "--threads", "4", "--requests", "2");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout())
        .contains("backend   " + backendPrefix())
        .contains("OUTCOME", "hand-offs", "INVARIANT")
        .doesNotContain("\r");
    assertThat(CliContract.line(r.stdout(), "overlapping critical sections")).endsWith("ok");
    assertThat(r.stdout().strip()).startsWith("scenario  thundering-herd").contains("result    OK");
    assertThat(r.stdout().lines())
        .as("fits a 100-column terminal")
        .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
    CliProcess.Result fault = nodb("scenario", "ttl-expiration");
    assertThat(fault.exitCode()).as(fault.toString()).isZero();
    assertThat(fault.stdout().lines())
        .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
    assertThat(nodb("scenario", "ttl-expiration", "--wide").stdout().lines())
        .as("--wide prints each step on one line")
        .anySatisfy(l -> assertThat(l.length()).isGreaterThan(100));
  }

  @Test
  void aRunWithHeldLocksIsRefusedAndTheHolderKeepsItsLock() throws IOException {
    Path run = Files.createDirectory(runsRoot.resolve(RunIds.unique("busy")));
    try (LockClient client = newClient(runsRoot);
        LockHandle h =
            client.acquire(
                LockKey.of(run.getFileName().toString(), "climate.nodb"),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5))) {

      CliProcess.Result r = nodb("scenario", "clear-during-operation", run.toString());

      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.stderr()).contains("1 lock(s) held");
      h.renewNow();
    }
  }
}
