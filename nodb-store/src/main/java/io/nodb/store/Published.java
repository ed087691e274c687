package io.nodb.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.internal.EnvelopeHeader;
import io.nodb.store.internal.FileSignature;

/**
 * One consistent version of a controller: the typed state, the JSON tree it was read from or
 * written as (which also carries fields the state class does not know), the header, the file
 * signature it matches, and the {@code legacy} section to carry into the next dump ({@code kept}).
 * A version read from a format-0 file also has its migration report and its original bytes (kept
 * beside the file by the first dump). Never mutated after publication.
 */
record Published<S>(
    S state,
    ObjectNode tree,
    EnvelopeHeader header,
    FileSignature signature,
    ObjectNode kept,
    LegacyReport legacy,
    byte[] original) {

  /** A format-1 version without a {@code legacy} section. */
  Published(S state, ObjectNode tree, EnvelopeHeader header, FileSignature signature) {
    this(state, tree, header, signature, null, null, null);
  }

  long version() {
    return header.version();
  }

  long fence() {
    return header.fence();
  }
}
