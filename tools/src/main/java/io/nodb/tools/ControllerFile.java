package io.nodb.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.store.NoDbCorruptFileException;
import io.nodb.store.NoDbStoreBuilder;
import io.nodb.store.NoDbUnsafePathException;
import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.EnvelopeHeader;
import io.nodb.store.internal.RunFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What the {@code nodb} header of one controller file says: {@code {"nodb": {"format": 1, "type":
 * …, "version": N, "fence": F, "writtenAt": …, "writer": "host:pid"}, "state": {…}}}. Only the file
 * is read as strictly as the store reads it. A file that cannot be read, is not a regular file, is
 * a link leading out of the run, or is not a valid envelope yields a value with {@link #corrupt()}
 * set to a short reason. Immutable.
 *
 * @param name the path relative to the run directory, with {@code /} separators (the lock name)
 * @param type the controller type, or null
 * @param version the file version, or -1
 * @param fence the fence of the dump that wrote it, or -1
 * @param writtenAt when it was written (as recorded), or null
 * @param writer {@code host:pid} of the writer, or null
 * @param corrupt why the header could not be read, or null if it was
 */
record ControllerFile(
    String name,
    String type,
    long version,
    long fence,
    String writtenAt,
    String writer,
    String corrupt) {

  private static final EnvelopeCodec CODEC = new EnvelopeCodec(new ObjectMapper());
  private static final int MAX_REASON = 120;

  /**
   * Reads the header of one file with the store's own reader ({@link RunFiles#read}, {@link
   * EnvelopeCodec#parseHeader}), so the tool and the store never disagree about a file.
   *
   * @param runDir the run directory
   * @param name the lock name of the file (its path relative to the run directory)
   * @return the header, or a value with {@link #corrupt()} set
   */
  static ControllerFile read(Path runDir, String name) {
    Path file = runDir.resolve(name);
    try {
      byte[] bytes = RunFiles.read(runDir, file, NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE);
      EnvelopeHeader h = CODEC.parseHeader(file, bytes);
      return new ControllerFile(
          name,
          h.type(),
          h.version(),
          h.fence(),
          emptyToNull(h.writtenAt()),
          emptyToNull(h.writer()),
          null);
    } catch (NoDbCorruptFileException e) {
      return corrupt(name, e.problem());
    } catch (NoDbUnsafePathException e) {
      return corrupt(name, e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
    } catch (NoSuchFileException e) {
      return corrupt(name, e.getReason() == null ? "vanished while being read" : e.getReason());
    } catch (IOException e) {
      return corrupt(name, "cannot read: " + e);
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
    return new ControllerFile(name, null, -1, -1, null, null, line);
  }

  /** Returns whether the header was read. */
  boolean readable() {
    return corrupt == null;
  }
}
