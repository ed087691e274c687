package io.nodb.controllers;

import java.util.TreeMap;

/** The persisted state of {@link Landuse}. A plain Jackson bean; mutate only inside locked(). */
public class LanduseState {
  /** The landuse data source, e.g. {@code nlcd-2021}. */
  public String source = "nlcd-2021";

  /** Landuse code per hillslope id. */
  public TreeMap<String, Integer> hillslopeCodes = new TreeMap<>();

  /** How many bulk rebuilds have been applied. */
  public int builds;
}
