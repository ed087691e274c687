package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.tools.scenario.ScenarioKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The help of {@code nodb scenario} names exactly the scenarios {@link ScenarioKind} has. */
class ScenarioCommandTest {

  @Test
  void theHelpListsEveryScenarioInOrder() {
    String help =
        String.join(" ", ScenarioCommand.class.getAnnotation(Command.class).description());

    assertThat(help).contains("Scenarios: " + String.join(", ", ScenarioKind.names()) + ".");
  }
}
