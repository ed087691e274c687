package io.nodb.store;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a legacy (format 0, jsonpickle) {@code .nodb} file cannot be migrated: a jsonpickle
 * tag this build does not decode, a back-reference cycle or a reference to nothing, a document too
 * deep or too large once references are expanded, a Python class the controller does not accept, or
 * a controller that has no mapping for format 0. Names the tag (when one is to blame) and the JSON
 * path of the offending value. The file is never overwritten. Immutable.
 */
public final class NoDbLegacyFormatException extends NoDbCorruptFileException {

  /** The longest excerpt of file content in a message. */
  public static final int MAX_EXCERPT = 200;

  private final @Nullable String tag;
  private final String jsonPath;

  /**
   * Creates the exception.
   *
   * @param path the file
   * @param tag the jsonpickle tag to blame (for example {@code py/function}), or null
   * @param jsonPath where in the document, for example {@code $._closest_stations[3]}
   * @param problem what is wrong, in a few words
   */
  public NoDbLegacyFormatException(
      Path path, @Nullable String tag, String jsonPath, String problem) {
    super(
        path,
        "legacy format 0: "
            + excerpt(problem)
            + (tag == null ? "" : " (tag '" + excerpt(tag) + "')")
            + " at "
            + excerpt(jsonPath),
        null);
    this.tag = tag == null ? null : excerpt(tag);
    this.jsonPath = excerpt(jsonPath);
  }

  /**
   * Returns {@code text} cut to {@value #MAX_EXCERPT} characters: keys, values and paths come from
   * the file, which may be hostile, and are never copied whole into a message.
   *
   * @param text any text
   * @return at most {@value #MAX_EXCERPT} characters of it
   */
  public static String excerpt(String text) {
    if (text == null || text.length() <= MAX_EXCERPT) {
      return text;
    }
    return text.substring(0, MAX_EXCERPT - 3) + "...";
  }

  /** Returns the jsonpickle tag to blame, or null when no single tag is. */
  public @Nullable String tag() {
    return tag;
  }

  /** Returns the JSON path of the offending value ({@code $} is the document). */
  public String jsonPath() {
    return jsonPath;
  }
}
