package io.nodb.controllers;

import java.util.TreeMap;

/** The persisted state of {@link Landuse}. A plain Jackson bean; mutate only inside locked(). */
public class LanduseState {
  /** The landuse data source, e.g. {@code nlcd-2021}. */
  public String source = "nlcd-2021";

  /** Dominant landuse code per hillslope id. */
  public TreeMap<String, Integer> hillslopeCodes = new TreeMap<>();

  /**
   * Dominant landuse code per overland flow element (MOFE) of each hillslope: hillslope id to OFE
   * number to code; empty for single-OFE runs.
   */
  public TreeMap<String, TreeMap<String, Integer>> mofeCodes = new TreeMap<>();

  /** How many bulk rebuilds have been applied. */
  public int builds;
}
