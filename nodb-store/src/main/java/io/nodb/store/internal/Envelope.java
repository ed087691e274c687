package io.nodb.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A parsed {@code .nodb} file: its header and its state as a JSON tree (including fields the
 * controller's state class does not know), the fields a format-0 file had that its controller does
 * not map ({@code kept}, the file's top-level {@code legacy} section, carried by every dump), and,
 * for a format-0 file, the decoded jsonpickle document.
 *
 * @param header the header
 * @param state the state object (for a format-0 file: its decoded fields)
 * @param kept the {@code legacy} section of a format-1 file, or null
 * @param legacy the decoded document of a format-0 file, or null
 */
public record Envelope(
    EnvelopeHeader header, ObjectNode state, ObjectNode kept, LegacyDocument legacy) {

  /**
   * A format-1 envelope without a {@code legacy} section.
   *
   * @param header the header
   * @param state the state
   */
  public Envelope(EnvelopeHeader header, ObjectNode state) {
    this(header, state, null, null);
  }
}
