package io.nodb.tools;

import io.nodb.controllers.Controllers;
import io.nodb.store.ControllerType;
import io.nodb.store.LegacyReport;
import io.nodb.store.NoDbFileInfo;
import io.nodb.store.NoDbFiles;
import io.nodb.store.NoDbStoreBuilder;
import io.nodb.store.NoDbTree;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the {@code nodb} header of one controller file says: {@code {"nodb": {"format": 1, "type":
 * …, "version": N, "fence": F, "writtenAt": …, "writer": "host:pid"}, "state": {…}}}. Only the file
 * is read as strictly as the store reads it. A legacy (format 0) file of the Python NoDb is planned
 * by the store's own migration planner: a value with {@link #legacy()} set when the store would
 * migrate it (through a shipped controller, or as a tree when none owns the file), corrupt with the
 * planner's reason when it would refuse it. A file that cannot be read, is not a regular file, is a
 * link leading out of the run, or is not a valid envelope yields a value with {@link #corrupt()}
 * set to a short reason. Immutable.
 *
 * @param name the path relative to the run directory, with {@code /} separators (the lock name)
 * @param type the controller type, or null
 * @param version the file version, or -1
 * @param fence the fence of the dump that wrote it, or -1
 * @param writtenAt when it was written (as recorded), or null
 * @param writer {@code host:pid} of the writer, or null
 * @param corrupt why the header could not be read, or null if it was
 * @param legacy for a legacy (format 0) file the store can migrate: what it holds and what reads
 *     it; null otherwise
 */
record ControllerFile(
    String name,
    String type,
    long version,
    long fence,
    String writtenAt,
    String writer,
    String corrupt,
    Legacy legacy) {

  /**
   * A legacy file as the store would migrate it (the store's own planner decides).
   *
   * @param pythonClass the top-level Python class
   * @param controller the Java controller class's simple name, or null when no shipped controller
   *     owns the file (then the store reads it as a tree)
   * @param report what is mapped and kept
   */
  record Legacy(String pythonClass, String controller, LegacyReport report) {

    /** Returns a short description for a table cell. */
    String describe() {
      return controller == null
          ? "legacy, no controller (" + pythonClass + ")"
          : "legacy (format 0) for " + controller;
    }
  }

  private static final int MAX_REASON = 120;

  /**
   * Reads the header of one file with the store's own reader ({@link NoDbFiles#inspect}), so the
   * tool and the store never disagree about a file.
   *
   * @param runDir the run directory
   * @param name the lock name of the file (its path relative to the run directory)
   * @return the header, or a value with {@link #corrupt()} set
   */
  static ControllerFile read(Path runDir, String name) {
    Optional<ControllerType<?, ?>> ct = Controllers.forFile(name);
    NoDbFileInfo info =
        NoDbFiles.inspect(runDir, name, NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE, ct.orElse(null));
    switch (info.diagnosis()) {
      case LEGACY:
        LegacyReport plan = info.legacy().orElseThrow();
        return new ControllerFile(
            name,
            ct.map(ControllerType::typeName).orElse(NoDbTree.typeNameOf(name)),
            0,
            0,
            null,
            null,
            null,
            new Legacy(
                plan.pythonClass(),
                ct.map(t -> t.controllerClass().getSimpleName()).orElse(null),
                plan));
      case VALID:
        NoDbFileInfo.Header h = info.header().orElseThrow();
        return new ControllerFile(
            name,
            h.type(),
            h.version(),
            h.fence(),
            emptyToNull(h.writtenAt()),
            emptyToNull(h.writer()),
            null,
            null);
      case MISSING:
        // the file was listed a moment ago
        String why = info.reason().orElse("");
        return corrupt(name, why.equals("no such file") ? "vanished while being read" : why);
      default:
        return corrupt(name, info.reason().orElse(info.diagnosis().toString()));
    }
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static ControllerFile corrupt(String name, String reason) {
    String line = reason.lines().findFirst().orElse(reason);
    if (line.length() > MAX_REASON) {
      line = line.substring(0, MAX_REASON - 3) + "...";
    }
    return new ControllerFile(name, null, -1, -1, null, null, line, null);
  }

  /** Returns whether the header was read. */
  boolean readable() {
    return corrupt == null;
  }
}
