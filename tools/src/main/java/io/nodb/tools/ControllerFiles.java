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
 * Finds the controller files of a run: every {@code *.nodb} entry that is not a directory (regular
 * files, and links or special files, which status then reports) in the run directory and its
 * subdirectories (links to directories are not followed), skipping hidden directories (such as the
 * local backend's {@code .nodb-locks}). Stateless.
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
              // links, FIFOs and devices are listed too, so status reports them instead of hiding
              if (!attrs.isDirectory() && file.getFileName().toString().endsWith(".nodb")) {
                names.add(lockName(run.dir().relativize(file)));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              return afterFailure(e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list controller files of " + run.dir() + ": " + e, e);
    }
    names.sort(null);
    return names;
  }

  /**
   * What the walk does when an entry cannot be read: an entry that vanished since its directory was
   * read (a writer's temp file renamed away) is skipped; any other failure ends the walk.
   */
  static FileVisitResult afterFailure(IOException e) throws IOException {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return FileVisitResult.CONTINUE;
    }
    throw e;
  }

  private static String lockName(Path relative) {
    return StreamSupport.stream(relative.spliterator(), false)
        .map(Path::toString)
        .collect(Collectors.joining("/"));
  }
}
