package io.nodb.store;

import java.nio.file.Path;

/**
 * Thrown when a {@code .nodb} file holds another controller's state than the one loading it: its
 * header's {@code type} is another controller type, it was written by the generic tree controller
 * ({@link NoDbTree}) and is loaded by a typed controller or the other way round (the header's
 * {@code controller} record), or it was migrated from a Python class the loading controller does
 * not read (the header's {@code legacy.pythonClass}). Names the file, the expected and the found
 * type. The file is never overwritten. Immutable.
 */
public final class NoDbWrongTypeException extends NoDbCorruptFileException {

  private final String expected;
  private final String found;

  /**
   * Creates the exception.
   *
   * @param path the file
   * @param expected what the loading controller reads, e.g. {@code climate
   *     (io.nodb.controllers.Climate)}
   * @param found what the file holds, e.g. {@code landuse (tree)}
   */
  public NoDbWrongTypeException(Path path, String expected, String found) {
    super(
        path,
        "holds "
            + NoDbLegacyFormatException.excerpt(found)
            + ", expected "
            + NoDbLegacyFormatException.excerpt(expected),
        null);
    this.expected = expected;
    this.found = NoDbLegacyFormatException.excerpt(found);
  }

  /** Returns what the loading controller reads. */
  public String expected() {
    return expected;
  }

  /** Returns what the file holds (cut to an excerpt: it comes from the file). */
  public String found() {
    return found;
  }
}
