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
 * local backend's {@code .nodb-locks}) and <b>nested runs</b>: a subdirectory that holds its own
 * {@code ron.nodb}, or any directory below a {@code _pups} directory that holds {@code *.nodb}
 * files (wepppy's "pups", e.g. {@code _pups/omni/scenarios/<name>/}), is a run of its own, never
 * part of the run around it ({@link #nestedRuns}). Stateless.
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
    return walk(run, new ArrayList<>(), new java.util.LinkedHashMap<>());
  }

  /**
   * Lists the nested runs directly inside a run (not those nested in them): directories below the
   * run that are runs of their own (see the class comment).
   *
   * @param run the run directory
   * @return their paths, sorted
   * @throws UncheckedIOException if the directory cannot be walked
   */
  static List<Path> nestedRuns(RunDir run) {
    return nestedRuns(run, new java.util.LinkedHashMap<>());
  }

  /**
   * Lists the nested runs directly inside a run, and the entries below a {@code _pups} directory
   * that could not be read: they belong to nested runs, whose failure is their own, not the run's.
   *
   * @param run the run directory
   * @param unreadable receives each entry below {@code _pups} that could not be read, with why
   * @return the nested runs' paths, sorted
   * @throws UncheckedIOException if the run's own directories cannot be walked
   */
  static List<Path> nestedRuns(RunDir run, java.util.Map<Path, IOException> unreadable) {
    List<Path> nested = new ArrayList<>();
    walk(run, nested, unreadable);
    nested.sort(null);
    return nested;
  }

  /**
   * Whether {@code dir} (below {@code runDir}) is a run of its own. A directory below {@code _pups}
   * that cannot be listed is taken for one, so it is reported as a run that cannot be listed rather
   * than failing the run around it (it is locked as a nested run in any case).
   */
  static boolean isNestedRun(Path runDir, Path dir) {
    if (dir.equals(runDir)) {
      return false;
    }
    if (Files.exists(dir.resolve("ron.nodb"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    if (!belowPups(runDir, dir)) {
      return false;
    }
    try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.nodb")) {
      return files.iterator().hasNext();
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      return true;
    }
  }

  /** Whether {@code dir} lies below a {@code _pups} directory of the run. */
  private static boolean belowPups(Path runDir, Path dir) {
    Path rel = runDir.relativize(dir);
    for (int i = 0; i < rel.getNameCount() - 1; i++) {
      if (rel.getName(i).toString().equals("_pups")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> walk(
      RunDir run, List<Path> nested, java.util.Map<Path, IOException> unreadable) {
    List<String> names = new ArrayList<>();
    try {
      Files.walkFileTree(
          run.dir(),
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              boolean hidden =
                  !dir.equals(run.dir()) && dir.getFileName().toString().startsWith(".");
              if (hidden) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              if (isNestedRun(run.dir(), dir)) {
                nested.add(dir);
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
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
              if (!(e instanceof java.nio.file.NoSuchFileException) && belowPups(run.dir(), file)) {
                unreadable.put(file, e); // a nested run's entry: its own failure, not the run's
                return FileVisitResult.CONTINUE;
              }
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
