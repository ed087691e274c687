package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, usage errors and bad run directories, which need no backend. */
class UsageCliIT {

  @TempDir Path runsRoot;

  @Test
  void helpAndVersionExit0Everywhere() {
    CliProcess.Result help = CliProcess.nodb("--help");
    CliProcess.Result subHelp = CliProcess.nodb("unlock", "--help");
    CliProcess.Result version = CliProcess.nodb("doctor", "--version");

    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.stdout())
        .contains("Usage: nodb", "status", "unlock", "clear-locks", "audit", "doctor")
        .contains("--redis=URL", "--json", "3   lock backend unavailable");
    assertThat(subHelp.exitCode()).as(subHelp.toString()).isZero();
    assertThat(subHelp.stdout()).contains("Usage: nodb unlock", "--force", "--reason", "--yes");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.stdout()).startsWith("nodb ");
  }

  @Test
  void usageErrorsExit2() {
    CliProcess.Result unknownOption = CliProcess.nodb("status", "--bogus", "x");
    CliProcess.Result missingArgument = CliProcess.nodb("unlock");
    CliProcess.Result unknownCommand = CliProcess.nodb("frobnicate");

    assertThat(unknownOption.exitCode()).as(unknownOption.toString()).isEqualTo(2);
    assertThat(unknownOption.stderr()).contains("Unknown option: '--bogus'");
    assertThat(missingArgument.exitCode()).as(missingArgument.toString()).isEqualTo(2);
    assertThat(missingArgument.stderr()).contains("Missing required parameter");
    assertThat(unknownCommand.exitCode()).as(unknownCommand.toString()).isEqualTo(2);
  }

  @Test
  void aMissingRunDirectoryExits4WithAClearMessage() {
    Path missing = runsRoot.resolve("no-such-run");

    CliProcess.Result r = CliProcess.nodb("status", missing.toString(), "--json");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    assertThat(r.stderr()).contains("no such run directory: " + missing);
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void invalidRunIdsAndControllerPathsExit4NamingTheValue() throws IOException {
    Path badRun = Files.createDirectory(runsRoot.resolve("bad run"));
    Path goodRun = Files.createDirectory(runsRoot.resolve("good-run"));

    CliProcess.Result run = CliProcess.nodb("audit", badRun.toString());
    CliProcess.Result controller =
        CliProcess.nodb("unlock", goodRun.toString(), "../escape.nodb", "--force", "--yes");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.stderr()).contains("invalid run id 'bad run'");
    assertThat(controller.exitCode()).as(controller.toString()).isEqualTo(4);
    assertThat(controller.stderr()).contains("invalid controller path '../escape.nodb'");
  }

  @Test
  void malformedRedisUrlsNeverShowTheirPassword() throws IOException {
    Path run = Files.createDirectory(runsRoot.resolve("run-bad-url"));
    String[] urls = {
      "redis://user:pa ss@h", "redis://:pw%zz@h", "redis://:pa/ss@h", "redis://:pa@ss@h"
    };
    for (String url : urls) {
      for (String command : new String[] {"status", "doctor"}) {
        CliProcess.Result r =
            CliProcess.nodb(java.util.Map.of("NODB_REDIS_URL", url), command, run.toString());

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stderr()).as(r.toString()).contains("invalid Redis URL");
        assertThat(r.stdout() + r.stderr())
            .as(r.toString())
            .doesNotContain("pa ss", "pw%zz", "zz", "pa/ss", "pa@ss");
      }
    }
  }
}
