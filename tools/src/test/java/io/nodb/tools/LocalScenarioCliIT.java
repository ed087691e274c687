package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenarios end to end on the local backend, plus {@code nodb demo} and usage errors. */
class LocalScenarioCliIT extends ScenarioContract {

  @Override
  List<String> backendArgs() {
    return List.of();
  }

  @Override
  String backendPrefix() {
    return "local:";
  }

  @Override
  LockClient newClient(Path runsRoot) {
    return LockClient.builder().local(runsRoot).build();
  }

  @Test
  void demoRunsEveryScenarioAndEndsWithTheSummaryTable() {
    CliProcess.Result r = CliProcess.nodb("demo");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.stdout().strip().lines().toList();
    assertThat(lines.get(0)).as("the header comes first").startsWith("nodb demo, backend local");
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
    assertThat(CliContract.line(r.stdout(), "SCENARIO"))
        .contains("OPS", "OK", "WAIT P50", "INVARIANTS", "OTHER OUTCOMES");
    for (String scenario :
        List.of(
            "thundering-herd",
            "rapid-sequential",
            "ttl-expiration",
            "token-corruption",
            "orphaned-locks",
            "clear-during-operation")) {
      assertThat(CliContract.line(r.stdout(), scenario + " "))
          .containsPattern("\\s(\\d+)/\\1 hold\\s");
    }
    assertThat(CliContract.line(r.stdout(), "thundering-herd "))
        .containsPattern("^thundering-herd\\s+64\\s+64\\s")
        .endsWith("  -");
    assertThat(CliContract.line(r.stdout(), "ttl-expiration "))
        .containsPattern("^ttl-expiration\\s+5\\s+1\\s.*7/7 hold\\s+already-expired 1");
    assertThat(r.stdout()).contains("all invariants hold.", "OPS: locked operations tried");
    assertThat(r.stderr().lines())
        .as("progress goes to stderr, one line per scenario")
        .filteredOn(l -> l.startsWith("demo: "))
        .hasSize(6)
        .first()
        .asString()
        .startsWith("demo: 1/6 thundering-herd ok in ");
  }

  @Test
  void scenarioUsageErrorsExit2() {
    CliProcess.Result unknown = CliProcess.nodb("scenario", "stampede");
    CliProcess.Result processes = CliProcess.nodb("scenario", "ttl-expiration", "--processes", "2");
    CliProcess.Result threads = CliProcess.nodb("scenario", "thundering-herd", "--threads", "0");

    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("unknown scenario 'stampede'", "thundering-herd");
    assertThat(processes.exitCode()).as(processes.toString()).isEqualTo(2);
    assertThat(processes.stderr()).contains("--processes applies to");
    assertThat(threads.exitCode()).as(threads.toString()).isEqualTo(2);
    assertThat(threads.stderr()).contains("--threads must be between 1 and 256, was 0");
  }
}
