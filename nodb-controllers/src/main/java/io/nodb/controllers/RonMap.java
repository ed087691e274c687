package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The map view of a run ({@code Map} in the Python NoDb): extent, center, zoom and the UTM position
 * of its upper-left corner; every other field (pixel bounds, cell size, its Python class) in {@link
 * #extra()}. A plain Jackson bean.
 */
public class RonMap extends WithExtras {
  private static final Set<String> TYPED = Set.of("extent", "center", "zoom", "utm");

  /** West, south, east, north in degrees. */
  public List<Double> extent = new ArrayList<>();

  /** Longitude, latitude in degrees. */
  public List<Double> center = new ArrayList<>();

  /** The web-map zoom level. */
  public Integer zoom;

  /** UTM easting of the reference point (m), or null. */
  public Double utmEasting;

  /** UTM northing (m), or null. */
  public Double utmNorthing;

  /** UTM zone number, or null. */
  public Integer utmZone;

  /** UTM latitude band letter, or null. */
  public String utmBand;

  static RonMap of(JsonNode n) {
    RonMap m = new RonMap();
    for (JsonNode v : n.path("extent")) {
      m.extent.add(v.asDouble());
    }
    for (JsonNode v : n.path("center")) {
      m.center.add(v.asDouble());
    }
    m.zoom = integer(n.get("zoom"));
    JsonNode utm = n.path("utm");
    if (utm.isArray() && utm.size() == 4) {
      m.utmEasting = number(utm.get(0));
      m.utmNorthing = number(utm.get(1));
      m.utmZone = integer(utm.get(2));
      m.utmBand = utm.get(3).asText();
    } else if (!utm.isMissingNode() && !utm.isNull()) {
      throw new IllegalArgumentException(
          "_map.utm is " + utm + ", not (easting, northing, zone, band)");
    }
    m.keepOthers(n, TYPED);
    return m;
  }
}
