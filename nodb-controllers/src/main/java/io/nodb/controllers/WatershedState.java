package io.nodb.controllers;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The persisted state of {@link Watershed}. A plain Jackson bean; mutate only inside locked(). A
 * {@code @Nullable} field is null until it is set, or when the file does not have it.
 */
public class WatershedState {
  /** Outlet longitude, or null before the outlet is set. */
  public @Nullable Double outletLon;

  /** Outlet latitude, or null before the outlet is set. */
  public @Nullable Double outletLat;

  /**
   * The outlet as the Python NoDb recorded it (requested location, distance, pixel, its Python
   * class; the actual location is {@link #outletLon}/{@link #outletLat}), or null.
   */
  public @Nullable WatershedOutlet outlet;

  /** Subcatchment (hillslope) ids. */
  public List<String> subcatchments = new ArrayList<>();

  /** Channel ids. */
  public List<String> channels = new ArrayList<>();

  /** Hillslope summaries by TOPAZ id (runs read from the Python NoDb). */
  public TreeMap<String, AbstractionSummary> subcatchmentSummaries = new TreeMap<>();

  /** Channel summaries by TOPAZ id (runs read from the Python NoDb). */
  public TreeMap<String, AbstractionSummary> channelSummaries = new TreeMap<>();
}
