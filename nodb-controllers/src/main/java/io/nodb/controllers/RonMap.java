package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The map view of a run ({@code Map} in the Python NoDb): extent, center, zoom and the UTM position
 * of its upper-left corner; every other field (pixel bounds, cell size, its Python class) in {@link
 * #extra()}. A plain Jackson bean; a {@code @Nullable} field is null when the file does not have
 * it.
 */
public class RonMap extends WithExtras {
  private static final Set<String> TYPED = Set.of("extent", "center", "zoom", "utm");

  /** West, south, east, north in degrees. */
  public List<Double> extent = new ArrayList<>();

  /** Longitude, latitude in degrees. */
  public List<Double> center = new ArrayList<>();

  /** The web-map zoom level. */
  public @Nullable Integer zoom;

  /** UTM easting of the reference point (m), or null. */
  public @Nullable Double utmEasting;

  /** UTM northing (m), or null. */
  public @Nullable Double utmNorthing;

  /** UTM zone number, or null. */
  public @Nullable Integer utmZone;

  /** UTM latitude band letter, or null. */
  public @Nullable String utmBand;

  static RonMap of(JsonNode n) {
    RonMap m = new RonMap();
    for (String list : List.of("extent", "center")) {
      JsonNode values = n.path(list);
      if (!values.isMissingNode() && !values.isNull() && !values.isArray()) {
        m.markLossy();
      }
      for (JsonNode v : values) {
        Double d = m.exactNumber(v);
        if (d == null) {
          m.markLossy();
        } else {
          (list.equals("extent") ? m.extent : m.center).add(d);
        }
      }
    }
    m.zoom = m.exactInteger(n.get("zoom"));
    JsonNode utm = n.path("utm");
    if (utm.isArray() && utm.size() == 4) {
      m.utmEasting = m.exactNumber(utm.get(0));
      m.utmNorthing = m.exactNumber(utm.get(1));
      m.utmZone = m.exactInteger(utm.get(2));
      m.utmBand = m.exactText(utm.get(3));
    } else if (!utm.isMissingNode() && !utm.isNull()) {
      m.markLossy();
    }
    m.keepOthers(n, TYPED);
    return m;
  }
}
