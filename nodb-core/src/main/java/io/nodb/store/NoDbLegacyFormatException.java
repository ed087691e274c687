package io.nodb.store;

import java.nio.file.Path;

/**
 * Thrown when a legacy (format 0, jsonpickle) {@code .nodb} file cannot be migrated: a jsonpickle
 * tag this build does not decode, a back-reference cycle or a reference to nothing, a document too
 * deep or too large once references are expanded, a Python class the controller does not accept, or
 * a controller that has no mapping for format 0. Names the tag (when one is to blame) and the JSON
 * path of the offending value. The file is never overwritten. Immutable.
 */
public final class NoDbLegacyFormatException extends NoDbCorruptFileException {

  private final String tag;
  private final String jsonPath;

  /**
   * Creates the exception.
   *
   * @param path the file
   * @param tag the jsonpickle tag to blame (for example {@code py/function}), or null
   * @param jsonPath where in the document, for example {@code $._closest_stations[3]}
   * @param problem what is wrong, in a few words
   */
  public NoDbLegacyFormatException(Path path, String tag, String jsonPath, String problem) {
    super(
        path,
        "legacy format 0: "
            + problem
            + (tag == null ? "" : " (tag '" + tag + "')")
            + " at "
            + jsonPath,
        null);
    this.tag = tag;
    this.jsonPath = jsonPath;
  }

  /** Returns the jsonpickle tag to blame, or null when no single tag is. */
  public String tag() {
    return tag;
  }

  /** Returns the JSON path of the offending value ({@code $} is the document). */
  public String jsonPath() {
    return jsonPath;
  }
}
