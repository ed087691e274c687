package io.nodb.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code nodb} header of a {@code .nodb} file. {@code extra} holds header fields this build
 * does not know, so they survive a load/dump round trip. Immutable by convention (the node is not
 * modified after parsing).
 *
 * @param format the file format (1 today; 0 is the legacy jsonpickle shape)
 * @param type the controller type name
 * @param version grows by one with every dump; decides staleness
 * @param fence the lock fence of the dump that wrote the file
 * @param writtenAt when it was written (ISO-8601), or empty
 * @param writer who wrote it ({@code host:pid}), or empty
 * @param extra unknown header fields, never null
 */
public record EnvelopeHeader(
    int format,
    String type,
    long version,
    long fence,
    String writtenAt,
    String writer,
    ObjectNode extra) {}
