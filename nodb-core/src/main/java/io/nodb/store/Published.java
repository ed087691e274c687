package io.nodb.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.internal.EnvelopeHeader;
import io.nodb.store.internal.FileSignature;

/**
 * One consistent version of a controller: the typed state, the JSON tree it was read from or
 * written as (which also carries fields the state class does not know), the header, and the file
 * signature it matches. Never mutated after publication.
 */
record Published<S>(S state, ObjectNode tree, EnvelopeHeader header, FileSignature signature) {

  long version() {
    return header.version();
  }

  long fence() {
    return header.fence();
  }
}
