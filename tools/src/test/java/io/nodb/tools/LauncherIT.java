package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./nodb} launcher at the repository root, run as a user runs it: through symbolic links
 * in a {@code PATH} directory, with {@code JAVA_HOME} and {@code NODB_JAVA_OPTS}, against the jar
 * and class-data-sharing archive the {@code package} phase built (integration tests run after it).
 */
class LauncherIT {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path LAUNCHER = REPO.resolve("nodb");
  private static final Path STAMP = REPO.resolve("tools/target/nodb.jsa.txt");

  @TempDir Path tmp;

  /** A PATH with the system tools bash needs, and the temporary bin directory first. */
  private Map<String, String> env(Path bin, String javaHome, String opts) {
    return Map.of("PATH", bin + ":/usr/bin:/bin", "JAVA_HOME", javaHome, "NODB_JAVA_OPTS", opts);
  }

  private Path bin() throws IOException {
    return Files.createDirectories(tmp.resolve("bin"));
  }

  @Test
  void aLauncherSymlinkedIntoPathFindsTheJarBesideItsRealLocation() throws IOException {
    Path bin = bin();
    Files.createSymbolicLink(bin.resolve("nodb"), LAUNCHER);
    Files.createSymbolicLink(bin.resolve("nodb-again"), Path.of("nodb")); // relative, chained
    String javaHome = System.getProperty("java.home");

    CliProcess.Result direct =
        CliProcess.exec(env(bin, javaHome, ""), List.of("/bin/sh", "-c", "nodb --version"));
    CliProcess.Result chained =
        CliProcess.exec(env(bin, javaHome, ""), List.of("/bin/sh", "-c", "nodb-again help status"));

    assertThat(direct.exitCode()).as(direct.toString()).isZero();
    assertThat(direct.stdout()).as(direct.toString()).startsWith("nodb 0.");
    assertThat(direct.stderr()).isEmpty();
    assertThat(chained.exitCode()).as(chained.toString()).isZero();
    assertThat(chained.stdout()).startsWith("Usage: nodb status");
    // JUnit warns about links leading out of its temporary directory: remove them first
    Files.delete(bin.resolve("nodb-again"));
    Files.delete(bin.resolve("nodb"));
  }

  @Test
  void javaHomeIsTheJdkThatRuns() throws IOException {
    Path fakeHome = Files.createDirectories(tmp.resolve("jdk/bin"));
    Path fakeJava = fakeHome.resolve("java");
    Files.writeString(
        fakeJava,
        "#!/bin/sh\necho \"fake java ran\" >&2\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = bin();

    CliProcess.Result r =
        CliProcess.exec(
            env(bin, fakeHome.getParent().toString(), ""), List.of(LAUNCHER.toString(), "-V"));
    CliProcess.Result noJdk =
        CliProcess.exec(
            env(bin, tmp.resolve("nothing").toString(), ""), List.of(LAUNCHER.toString()));

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).isEqualTo("fake java ran\n");
    assertThat(r.stdout()).startsWith("nodb ");
    assertThat(noJdk.exitCode()).as(noJdk.toString()).isEqualTo(2);
    assertThat(noJdk.stderr()).startsWith("nodb: JAVA_HOME=").contains("has no bin/java");
  }

  @Test
  void theBuildsClassDataArchiveIsUsedWithTheJdkThatMadeItAndNodbJavaOptsApply()
      throws IOException {
    String stamp = Files.readString(STAMP, StandardCharsets.UTF_8).strip();
    String javaHome = stamp.substring(0, stamp.indexOf('|'));
    assertThat(stamp.substring(stamp.indexOf('|') + 1))
        .isEqualTo(REPO.resolve("tools/target/nodb.jar").toRealPath().toString());
    Path log = tmp.resolve("classes.log");

    CliProcess.Result r =
        CliProcess.exec(
            env(bin(), javaHome, "-Xshare:on -Xlog:class+load=info:file=" + log),
            List.of(LAUNCHER.toString(), "--version"));

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("nodb ");
    assertThat(Files.readAllLines(log))
        .as("NodbCli comes from the archive")
        .anySatisfy(
            l -> assertThat(l).contains("io.nodb.tools.NodbCli source: shared objects file"));
  }
}
