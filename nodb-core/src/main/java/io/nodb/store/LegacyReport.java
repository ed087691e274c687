package io.nodb.store;

import java.util.List;

/**
 * What migrating one legacy (format 0) file does: its Python class, the fields the controller maps
 * into typed state, and the fields kept verbatim in the format-1 file's {@code legacy} section.
 * Immutable.
 *
 * @param pythonClass the top-level Python class
 * @param mapped fields mapped into the state, in mapping order
 * @param kept fields kept verbatim, in file order
 */
public record LegacyReport(String pythonClass, List<String> mapped, List<String> kept) {

  /** Makes the lists unmodifiable copies. */
  public LegacyReport {
    mapped = List.copyOf(mapped);
    kept = List.copyOf(kept);
  }
}
