package io.nodb.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A legacy (format 0, jsonpickle) controller file, decoded by {@link LegacyDecoder}: the Python
 * class of the top-level object, its fields as a clean JSON tree (see {@link LegacyDecoder} for the
 * shapes), and the same fields exactly as the file wrote them. Immutable by convention (the nodes
 * are not modified after decoding; callers copy before changing them).
 *
 * @param pythonClass the top-level {@code py/object}, e.g. {@code wepppy.nodb.climate.Climate}
 * @param fields every field, decoded (no {@code py/} tag left)
 * @param original every field as written in the file (tags and all), same names as {@code fields}
 * @param stateWrapped whether the fields were under {@code py/state} (files of newer wepppy)
 */
public record LegacyDocument(
    String pythonClass, ObjectNode fields, ObjectNode original, boolean stateWrapped) {}
