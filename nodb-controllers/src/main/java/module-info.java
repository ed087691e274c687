/**
 * The controllers of the wepppy runs ({@code Ron}, {@code Climate}, {@code Landuse}, {@code
 * Watershed}) on the NoDb store; their state classes are open to Jackson.
 */
module io.nodb.controllers {
  requires transitive org.jspecify; // @NullMarked/@Nullable are part of the API's types
  requires transitive io.nodb.store;

  exports io.nodb.controllers;

  opens io.nodb.controllers to
      com.fasterxml.jackson.databind;
}
