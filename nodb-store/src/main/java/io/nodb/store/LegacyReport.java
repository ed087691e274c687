package io.nodb.store;

import java.util.List;

/**
 * What migrating one legacy (format 0) file does: its Python class, the fields the controller maps
 * into typed state, and the fields kept verbatim in the format-1 file's {@code legacy} section. A
 * field the state holds only converted (an integer id read as text, digit-string codes read as
 * integers, {@code ""} years read as null) is in both lists: mapped, and kept in its original form.
 * Every original field is in at least one. Immutable.
 *
 * @param pythonClass the top-level Python class
 * @param mapped fields read into the state (exactly or converted), in file order
 * @param kept fields kept verbatim (unmapped, or mapped only converted), in file order
 */
public record LegacyReport(String pythonClass, List<String> mapped, List<String> kept) {

  /** Makes the lists unmodifiable copies. */
  public LegacyReport {
    mapped = List.copyOf(mapped);
    kept = List.copyOf(kept);
  }
}
