package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
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
    return LockClientBuilder.create().local(runsRoot).build();
  }

  @Test
  void demoRunsEveryScenarioAndEndsWithTheSummaryTable() {
    CliProcess.Result r = CliProcess.nodb("demo");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.stdout().strip().lines().toList();
    int header = lines.indexOf(CliContract.line(r.stdout(), "SCENARIO"));
    assertThat(header).as(r.stdout()).isPositive();
    List<String> rows = lines.subList(header + 1, header + 7);
    assertThat(rows)
        .extracting(l -> l.split("\\s+")[0])
        .containsExactly(
            "thundering-herd",
            "rapid-sequential",
            "ttl-expiration",
            "token-corruption",
            "orphaned-locks",
            "clear-during-operation");
    assertThat(rows).allSatisfy(l -> assertThat(l).containsPattern("OK \\(\\d+\\)$"));
    assertThat(rows.get(0)).startsWith("thundering-herd         64        64  -");
    assertThat(lines.get(lines.size() - 1)).startsWith("all invariants hold.");
    assertThat(r.stdout()).contains("backend local");
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
