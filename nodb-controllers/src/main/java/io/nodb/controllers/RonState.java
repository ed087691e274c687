package io.nodb.controllers;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The persisted state of {@link Ron}. A plain Jackson bean; mutate only inside locked(). A
 * {@code @Nullable} field is null until it is set, or when the file does not have it.
 */
public class RonState {
  /** The run's display name. */
  public @Nullable String name;

  /** Who owns the run. */
  public @Nullable String owner;

  /** The configuration's display name, e.g. {@code Disturbed}. */
  public @Nullable String configName;

  /** The configuration file the run was created from, e.g. {@code disturbed.cfg}. */
  public @Nullable String config;

  /** Enabled optional modules, in the order they were enabled. */
  public List<String> mods = new ArrayList<>();

  /** DEM cell size (m), or null. */
  public @Nullable Double cellSize;

  /** The map view (extent, center, zoom, UTM), or null. */
  public @Nullable RonMap map;
}
