package io.nodb.store;

/**
 * Marker for events one controller sends to others through {@link NoDbBase#on(NoDbEvent)} (for
 * example a {@code TriggerEvent} enum in the controllers module).
 */
public interface NoDbEvent {}
