package io.nodb.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a {@link ControllerRuntime} needs to know of its controller: the type name written in
 * headers, the file name, the state class, and the controller's migration hook. Kept apart from
 * {@link ControllerType} and {@link NoDbBase} so the runtime depends on neither. Immutable.
 *
 * @param typeName the type written in file headers
 * @param fileName the file inside the run directory
 * @param stateClass the state class
 * @param migrator upgrades a state read in an older format (format 0 only without {@code legacy})
 * @param newState makes a fresh initial state
 * @param legacy how a format-0 file maps, or null
 * @param controller who writes the file, recorded in its header: the controller's Java class name,
 *     or {@code tree} for {@link NoDbTree} (see {@link TypeCheck})
 * @param <S> the state class
 */
record ControllerSpec<S>(
    String typeName,
    String fileName,
    Class<S> stateClass,
    Migrator migrator,
    java.util.function.Supplier<S> newState,
    LegacyMapping<S> legacy,
    String controller) {

  /** Upgrades the state of a file written in an older format. */
  @FunctionalInterface
  interface Migrator {
    ObjectNode migrate(int fromFormat, ObjectNode state);
  }
}
