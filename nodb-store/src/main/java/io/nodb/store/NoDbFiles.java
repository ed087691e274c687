package io.nodb.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.store.NoDbFileInfo.Diagnosis;
import io.nodb.store.internal.Envelope;
import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.FileSignature;
import io.nodb.store.internal.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Read-only inspection of {@code .nodb} files, for tools and operators: what the store would make
 * of a file, without loading, locking, caching or writing anything. The file is read the way the
 * store reads it (only a regular file up to a size limit, never through a link that leads out of
 * the run, see {@link #inspect(Path, String, long, ControllerType)}) and parsed with the store's
 * one strict reader; a legacy (format 0) file is planned with the store's own migration, and a
 * format-1 file is checked against its controller with the store's own type check.
 *
 * <p>Hostile files (links, FIFOs, devices, directories, huge or sparse files, bad JSON, another
 * controller's file) are diagnoses, not exceptions: every outcome is a {@link NoDbFileInfo}.
 * Stateless and thread-safe.
 */
public final class NoDbFiles {

  /** The file format this build writes (format 0 is the legacy jsonpickle shape). */
  public static final int CURRENT_FORMAT = EnvelopeCodec.CURRENT_FORMAT;

  private static final EnvelopeCodec CODEC = new EnvelopeCodec(new ObjectMapper());

  private NoDbFiles() {}

  /**
   * Inspects a file on its own, checked against the registered controller that owns its name (if a
   * class registered so far owns it). A symbolic link at the path is not followed.
   *
   * @param file the file
   * @param maxSize the size limit in bytes (the store's default is {@link
   *     NoDbStoreBuilder#DEFAULT_MAX_FILE_SIZE})
   * @return what the file is
   * @throws IllegalArgumentException if {@code maxSize} is not positive
   */
  public static NoDbFileInfo inspect(Path file, long maxSize) {
    Path path = file.toAbsolutePath().normalize();
    return inspect(
        path, maxSize, ControllerType.owning(String.valueOf(path.getFileName())).orElse(null));
  }

  /**
   * Inspects a file on its own, checked against {@code controller}: its directory is taken as the
   * run directory, and a symbolic link at the path is not followed (a {@link Diagnosis#LINK} naming
   * the target; inspect the target itself if it is trusted).
   *
   * @param file the file
   * @param maxSize the size limit in bytes
   * @param controller the controller that owns the file, or null: then a format-1 file is checked
   *     as an envelope of the type it names and a legacy file is planned as a tree ({@link
   *     NoDbStore#getTree})
   * @return what the file is
   * @throws IllegalArgumentException if {@code maxSize} is not positive
   */
  public static NoDbFileInfo inspect(
      Path file, long maxSize, @Nullable ControllerType<?, ?> controller) {
    requirePositive(maxSize);
    Path path = file.toAbsolutePath().normalize();
    Path dir = path.getParent() == null ? path : path.getParent();
    if (Files.isSymbolicLink(path)) {
      String target;
      try {
        target = Files.readSymbolicLink(path).toString();
      } catch (IOException e) {
        target = "? (" + e.getMessage() + ")";
      }
      return NoDbFileInfo.refused(
          dir,
          path,
          Diagnosis.LINK,
          "a symbolic link to "
              + target
              + " (not followed; inspect the target itself if you trust it)",
          null,
          null,
          controller);
    }
    return read(dir, path, maxSize, controller);
  }

  /**
   * Inspects a controller file of a run as the store reads it: a link that resolves inside the run
   * directory is followed, one that leads out is a {@link Diagnosis#LINK}; a link or special file
   * between the run directory and the file is a {@code LINK} too.
   *
   * @param runDir the run directory
   * @param name the file's path relative to the run directory ({@code climate.nodb}, {@code
   *     _pups/x/ron.nodb})
   * @param maxSize the size limit in bytes
   * @param controller the controller that owns the file, or null (see {@link #inspect(Path, long,
   *     ControllerType)})
   * @return what the file is
   * @throws IllegalArgumentException if {@code maxSize} is not positive or {@code name} is not a
   *     relative path inside the run
   */
  public static NoDbFileInfo inspect(
      Path runDir, String name, long maxSize, @Nullable ControllerType<?, ?> controller) {
    requirePositive(maxSize);
    Path run = runDir.toAbsolutePath().normalize();
    Path path = run.resolve(name).normalize();
    if (Path.of(name).isAbsolute() || !path.startsWith(run) || path.equals(run)) {
      throw new IllegalArgumentException("not a file inside the run " + run + ": '" + name + "'");
    }
    return read(run, path, maxSize, controller);
  }

  private static NoDbFileInfo read(
      Path runDir, Path path, long maxSize, @Nullable ControllerType<?, ?> controller) {
    @Nullable FileSignature signature;
    byte[] bytes;
    try {
      signature = RunFiles.signature(runDir, path).orElse(null);
      bytes = RunFiles.read(runDir, path, maxSize);
    } catch (RunFiles.RefusedFileException e) {
      Diagnosis d =
          e.kind() == RunFiles.RefusedFileException.Kind.TOO_LARGE
              ? Diagnosis.TOO_LARGE
              : Diagnosis.SPECIAL_FILE;
      return NoDbFileInfo.refused(runDir, path, d, e.problem(), null, null, controller);
    } catch (NoDbUnsafePathException e) {
      return NoDbFileInfo.refused(
          runDir, path, Diagnosis.LINK, e.problem(), null, null, controller);
    } catch (NoSuchFileException e) {
      return NoDbFileInfo.refused(
          runDir,
          path,
          Diagnosis.MISSING,
          e.getReason() == null ? "no such file" : e.getReason(),
          null,
          null,
          controller);
    } catch (IOException e) {
      return NoDbFileInfo.refused(
          runDir, path, Diagnosis.UNREADABLE, "cannot read: " + e, null, null, controller);
    }
    Envelope env = null;
    try {
      env = CODEC.read(path, bytes);
      if (env.header().format() == 0) {
        LegacyReport plan =
            controller != null
                ? controller.planLegacy(path, bytes)
                : NoDbTree.planLegacy(path, bytes);
        return NoDbFileInfo.loadable(
            runDir, path, bytes, env, plan, controller, signature, maxSize);
      }
      if (controller != null) {
        // the store's own check: its type, not a tree's file, not another Python class
        controller.checkFile(path, bytes);
        requireFit(path, env, controller.stateClass());
      }
      return NoDbFileInfo.loadable(runDir, path, bytes, env, null, controller, signature, maxSize);
    } catch (NoDbWrongTypeException e) {
      return NoDbFileInfo.refused(
          runDir, path, Diagnosis.WRONG_TYPE, e.problem(), bytes, env, controller);
    } catch (NoDbCorruptFileException e) {
      return NoDbFileInfo.refused(
          runDir, path, Diagnosis.CORRUPT, e.problem(), bytes, env, controller);
    }
  }

  /** The state must bind to the controller's state class, as the store binds it on load. */
  private static void requireFit(Path path, Envelope env, Class<?> stateClass) {
    try {
      CODEC.mapper().treeToValue(env.state(), stateClass);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new NoDbCorruptFileException(
          path,
          "state does not fit "
              + stateClass.getSimpleName()
              + at(e)
              + ": "
              + (e instanceof JsonProcessingException j
                      ? j.getOriginalMessage()
                      : String.valueOf(e.getMessage()))
                  .lines()
                  .findFirst()
                  .orElse(""),
          e);
    }
  }

  /** Returns {@code at field 'state.a.b[2]'} for a mapping error that knows where it happened. */
  private static String at(Exception e) {
    if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return " at field 'state." + path + "'";
  }

  private static void requirePositive(long maxSize) {
    if (maxSize <= 0) {
      throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
    }
  }
}
