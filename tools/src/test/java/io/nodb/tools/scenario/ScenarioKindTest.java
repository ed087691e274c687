package io.nodb.tools.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one list of scenarios: names, lookups, defaults and factories agree. */
class ScenarioKindTest {

  @Test
  void everyScenarioIsFoundByItsNameAndMakesItsOwnImplementation() {
    assertThat(Scenarios.NAMES)
        .containsExactly(
            "thundering-herd",
            "rapid-sequential",
            "ttl-expiration",
            "token-corruption",
            "orphaned-locks",
            "clear-during-operation");
    for (ScenarioKind k : ScenarioKind.values()) {
      assertThat(ScenarioKind.byName(k.cliName())).contains(k);
      assertThat(k.create()).isNotNull().isNotSameAs(k.create());
    }
    assertThat(ScenarioKind.byName("THUNDERING_HERD")).isEmpty();
    assertThat(ScenarioKind.byName("")).isEmpty();
  }

  @Test
  void theConfigTakesTheScenariosDefaults() {
    ScenarioConfig c = Scenarios.config("ttl-expiration", null, null, null, null, null, null, null);

    assertThat(List.of(c.threads(), c.requests(), c.processes())).containsExactly(2, 1, 1);
    assertThat(c.lease().toMillis()).isEqualTo(ScenarioKind.TTL_EXPIRATION.leaseMillis());
    assertThat(c.hold().toMillis()).isZero();
  }

  @Test
  void onlyContentionScenariosTakeWorkerJvms() {
    assertThat(Scenarios.config("rapid-sequential", null, null, null, 2, null, null, null))
        .extracting(ScenarioConfig::processes)
        .isEqualTo(2);
    assertThatThrownBy(
            () -> Scenarios.config("orphaned-locks", null, null, null, 2, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--processes applies to thundering-herd and rapid-sequential");
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> Scenarios.config("herd", null, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown scenario 'herd'; expected one of " + String.join(", ", ScenarioKind.names()));
  }

  @Test
  void theRedisUrlIsTheWorkersBackendArgumentForWorkerJvmToTakeOffTheCommandLine() {
    String url = "redis://ops:s3cr%40t@cache.example:6380/2";
    ScenarioConfig c = Scenarios.config("thundering-herd", null, url, null, 2, null, null, null);

    assertThat(c.backendArg()).isEqualTo(url);
    ScenarioConfig local =
        Scenarios.config("thundering-herd", null, null, null, 2, null, null, null);
    assertThat(local.backendArg()).isEqualTo("-");
  }
}
