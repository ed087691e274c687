package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, usage errors, JSON errors and bad run directories, which need no backend. */
class UsageCliIT {

  @TempDir Path runsRoot;

  @Test
  void helpAndVersionExit0Everywhere() {
    CliProcess.Result help = CliProcess.nodb("--help");
    CliProcess.Result subHelp = CliProcess.nodb("unlock", "--help");
    CliProcess.Result version = CliProcess.nodb("doctor", "--version");

    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.stdout())
        .contains("Usage: nodb", "status", "unlock", "clear-locks", "audit", "doctor", "help")
        .contains("--redis=URL", "--json", "--wide", "3   lock backend unavailable")
        .contains("NODB_JAVA_OPTS", "NODB_REDIS_URL", "JAVA_HOME", "NO_COLOR");
    assertThat(subHelp.exitCode()).as(subHelp.toString()).isZero();
    assertThat(subHelp.stdout()).contains("Usage: nodb unlock", "--force", "--reason", "--yes");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.stdout()).startsWith("nodb ");
  }

  @Test
  void helpCommandShowsTheRootOrOneCommandsHelp() {
    CliProcess.Result help = CliProcess.nodb("help");
    CliProcess.Result status = CliProcess.nodb("help", "status");
    CliProcess.Result unknown = CliProcess.nodb("help", "frobnicate");

    assertThat(help.exitCode()).as(help.toString()).isZero();
    assertThat(help.stdout()).startsWith("Usage: nodb ").contains("status", "unlock", "demo");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.stdout()).startsWith("Usage: nodb status ").contains("<run-dir>");
    assertThat(status.stdout()).isEqualTo(CliProcess.nodb("status", "--help").stdout());
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.stderr()).startsWith("nodb: ");
  }

  @Test
  void usageErrorsAreOneLineInGitsStyleAndExit2() {
    CliProcess.Result unknownOption = CliProcess.nodb("status", "--bogus", "x");
    CliProcess.Result missingArgument = CliProcess.nodb("audit");
    CliProcess.Result missingTwo = CliProcess.nodb("unlock");
    CliProcess.Result unknownCommand = CliProcess.nodb("frobnicate");
    CliProcess.Result extra = CliProcess.nodb("status", "a", "b");
    CliProcess.Result noValue = CliProcess.nodb("status", "a", "--redis");

    assertThat(unknownOption.exitCode()).as(unknownOption.toString()).isEqualTo(2);
    assertThat(unknownOption.stderr())
        .isEqualTo("nodb: unknown option '--bogus'; see 'nodb status --help'\n");
    assertThat(missingArgument.exitCode()).as(missingArgument.toString()).isEqualTo(2);
    assertThat(missingArgument.stderr())
        .isEqualTo("nodb: missing <run-dir>; see 'nodb audit --help'\n");
    assertThat(missingTwo.stderr())
        .isEqualTo("nodb: missing <run-dir>; see 'nodb unlock --help'\n");
    assertThat(unknownCommand.exitCode()).as(unknownCommand.toString()).isEqualTo(2);
    assertThat(unknownCommand.stderr())
        .isEqualTo("nodb: 'frobnicate' is not a nodb command; see 'nodb --help'\n");
    assertThat(extra.exitCode()).as(extra.toString()).isEqualTo(2);
    assertThat(extra.stderr())
        .isEqualTo("nodb: unexpected argument 'b'; see 'nodb status --help'\n");
    assertThat(noValue.exitCode()).as(noValue.toString()).isEqualTo(2);
    assertThat(noValue.stderr())
        .isEqualTo("nodb: option '--redis' needs a value (URL); see 'nodb status --help'\n");
    for (CliProcess.Result r :
        new CliProcess.Result[] {unknownOption, missingArgument, unknownCommand, extra, noValue}) {
      assertThat(r.stdout()).as(r.toString()).isEmpty();
    }
  }

  @Test
  void underJsonAUsageErrorIsOneJsonDocumentOnStdout() {
    CliProcess.Result r = CliProcess.nodb("audit", "--json");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    JsonNode doc = r.json();
    assertThat(doc.path("schemaVersion").asInt()).isEqualTo(JsonOutput.SCHEMA_VERSION);
    assertThat(doc.path("error").path("exitCode").asInt()).isEqualTo(2);
    assertThat(doc.path("error").path("message").asText()).isEqualTo("missing <run-dir>");
    assertThat(doc.path("error").path("hint").asText()).isEqualTo("see 'nodb audit --help'");
    assertThat(r.stderr()).isEqualTo("nodb: missing <run-dir>; see 'nodb audit --help'\n");
  }

  @Test
  void aMissingRunDirectoryExits4WithAClearMessageAndAJsonError() {
    Path missing = runsRoot.resolve("no-such-run");

    CliProcess.Result r = CliProcess.nodb("status", missing.toString(), "--json");
    CliProcess.Result text = CliProcess.nodb("status", missing.toString());

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    assertThat(r.stderr()).contains("no such run directory: " + missing);
    JsonNode doc = r.json();
    assertThat(doc.path("schemaVersion").asInt()).isEqualTo(JsonOutput.SCHEMA_VERSION);
    assertThat(doc.path("error").path("exitCode").asInt()).isEqualTo(4);
    assertThat(doc.path("error").path("message").asText())
        .isEqualTo("no such run directory: " + missing);
    assertThat(doc.path("error").path("hint").isNull()).isTrue();
    assertThat(text.exitCode()).as(text.toString()).isEqualTo(4);
    assertThat(text.stdout()).isEmpty();
    assertThat(text.stderr()).isEqualTo("nodb: no such run directory: " + missing + "\n");
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
