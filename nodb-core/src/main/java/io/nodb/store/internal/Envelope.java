package io.nodb.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A parsed {@code .nodb} file: its header and its state as a JSON tree (including fields the
 * controller's state class does not know).
 *
 * @param header the header
 * @param state the state object
 */
public record Envelope(EnvelopeHeader header, ObjectNode state) {}
