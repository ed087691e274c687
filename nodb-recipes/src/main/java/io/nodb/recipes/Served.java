package io.nodb.recipes;

/**
 * The result of a single-flight call as the callers of one local flight share it.
 *
 * @param value the value
 * @param hit whether it was already in the store (counted as a hit for every caller of the flight,
 *     not as a wait)
 */
record Served<V>(V value, boolean hit) {}
