package io.nodb.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root: {@code nodb.repo} from the build, else up from the working dir. */
final class Repo {

  static Path root() {
    String fromBuild = System.getProperty("nodb.repo");
    if (fromBuild != null && Files.isRegularFile(Path.of(fromBuild, "README.md"))) {
      return Path.of(fromBuild).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root (README.md beside docs/)");
  }

  private Repo() {}
}
