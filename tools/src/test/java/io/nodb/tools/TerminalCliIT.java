package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Colour: only when stdout is a terminal, never with {@code NO_COLOR} set (no-color.org). The
 * terminal is a real pseudo-terminal from util-linux {@code script}.
 */
class TerminalCliIT {

  private static final String ESC = "\u001B[";

  @TempDir Path runsRoot;

  /** Runs {@code nodb args...} with stdin and stdout on a pseudo-terminal. */
  private static CliProcess.Result onATerminal(Map<String, String> env, String... args) {
    String command =
        CliProcess.javaCommand(NodbCli.class.getName(), args).stream()
            .map(a -> "'" + a.replace("'", "'\\''") + "'")
            .collect(Collectors.joining(" "));
    return CliProcess.exec(env, List.of("script", "-qec", command, "/dev/null"));
  }

  @Test
  void aTerminalGetsColourUnlessNoColorIsSet() throws IOException {
    Path run = Files.createDirectory(runsRoot.resolve("run-colour"));

    CliProcess.Result terminal = onATerminal(Map.of(), "doctor", run.toString());
    CliProcess.Result noColor = onATerminal(Map.of("NO_COLOR", "1"), "doctor", run.toString());
    CliProcess.Result emptyNoColor = onATerminal(Map.of("NO_COLOR", ""), "doctor", run.toString());
    CliProcess.Result pipe = CliProcess.nodb("doctor", run.toString());

    assertThat(terminal.exitCode()).as(terminal.toString()).isZero();
    assertThat(terminal.stdout()).as(terminal.toString()).contains(ESC + "32mok" + ESC + "0m");
    assertThat(emptyNoColor.stdout())
        .as("an empty NO_COLOR does not count (no-color.org)")
        .contains(ESC + "32mok");
    assertThat(noColor.exitCode()).as(noColor.toString()).isZero();
    assertThat(noColor.stdout()).as(noColor.toString()).contains("runs root").doesNotContain(ESC);
    assertThat(pipe.exitCode()).as(pipe.toString()).isZero();
    assertThat(pipe.stdout()).as(pipe.toString()).contains("runs root").doesNotContain(ESC);
  }

  @Test
  void helpIsColouredOnATerminalOnly() {
    CliProcess.Result terminal = onATerminal(Map.of(), "help", "status");
    CliProcess.Result noColor = onATerminal(Map.of("NO_COLOR", "yes"), "help", "status");

    assertThat(terminal.stdout()).as(terminal.toString()).contains(ESC);
    assertThat(noColor.stdout()).as(noColor.toString()).contains("Usage:").doesNotContain(ESC);
  }

  @Test
  void jsonIsNeverColouredEvenOnATerminal() throws IOException {
    Path run = Files.createDirectory(runsRoot.resolve("run-json"));

    CliProcess.Result r = onATerminal(Map.of(), "doctor", run.toString(), "--json");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("\"schemaVersion\"").doesNotContain(ESC);
  }
}
