package io.nodb.controllers;

import java.util.ArrayList;
import java.util.List;

/** The persisted state of {@link Ron}. A plain Jackson bean; mutate only inside locked(). */
public class RonState {
  /** The run's display name. */
  public String name;

  /** Who owns the run. */
  public String owner;

  /** The configuration's display name, e.g. {@code Disturbed}. */
  public String configName;

  /** The configuration file the run was created from, e.g. {@code disturbed.cfg}. */
  public String config;

  /** Enabled optional modules, in the order they were enabled. */
  public List<String> mods = new ArrayList<>();

  /** DEM cell size (m), or null. */
  public Double cellSize;

  /** The map view (extent, center, zoom, UTM), or null. */
  public RonMap map;
}
