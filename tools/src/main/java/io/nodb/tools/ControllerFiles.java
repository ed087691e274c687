package io.nodb.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Finds the controller files of a run: every {@code *.nodb} regular file in the run directory and
 * its subdirectories, skipping hidden directories (such as the local backend's {@code
 * .nodb-locks}). Stateless.
 */
final class ControllerFiles {

  private ControllerFiles() {}

  /**
   * Lists the controller files of a run.
   *
   * @param run the run directory
   * @return lock names (relative paths with {@code /} separators), sorted
   * @throws UncheckedIOException if the directory cannot be walked
   */
  static List<String> list(RunDir run) {
    List<String> names = new ArrayList<>();
    try {
      Files.walkFileTree(
          run.dir(),
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              boolean hidden =
                  !dir.equals(run.dir()) && dir.getFileName().toString().startsWith(".");
              return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".nodb")) {
                names.add(lockName(run.dir().relativize(file)));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list controller files of " + run.dir(), e);
    }
    names.sort(null);
    return names;
  }

  private static String lockName(Path relative) {
    return StreamSupport.stream(relative.spliterator(), false)
        .map(Path::toString)
        .collect(Collectors.joining("/"));
  }
}
