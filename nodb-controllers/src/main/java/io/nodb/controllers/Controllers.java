package io.nodb.controllers;

import io.nodb.store.ControllerType;
import java.util.List;
import java.util.Optional;

/**
 * The controllers this module ships, and which of them owns a file name. Files of a run that none
 * of them owns are read through the store's generic tree controller ({@code NoDbStore.getTree}).
 * Stateless and thread-safe.
 */
public final class Controllers {

  /** Every shipped controller type. */
  public static final List<ControllerType<?, ?>> ALL =
      List.of(Ron.TYPE, Climate.TYPE, Landuse.TYPE, Watershed.TYPE);

  private Controllers() {}

  /**
   * Returns the shipped controller whose file this is.
   *
   * @param fileName the file's path inside the run, e.g. {@code climate.nodb}
   * @return the controller type, or empty (then the file is read as a tree)
   */
  public static Optional<ControllerType<?, ?>> forFile(String fileName) {
    return ALL.stream().filter(t -> t.fileName().equals(fileName)).findFirst();
  }
}
