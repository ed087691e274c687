package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One candidate climate station of a run ({@code StationMeta} in the Python NoDb): typed id,
 * description, distance and position; every other field (parameter file paths, tp5/tp6, rank, its
 * Python class) in {@link #extra()}. A value a typed field cannot hold exactly (a string distance,
 * an integer latitude) makes the station {@link #lossy()}: the climate mapping then keeps the whole
 * {@code _closest_stations} field verbatim too. A plain Jackson bean; a {@code @Nullable} field is
 * null when the file does not have it.
 */
public class ClimateStation extends WithExtras {
  private static final Set<String> TYPED =
      Set.of("id", "desc", "distance", "latitude", "longitude", "years");

  /** The station id, e.g. {@code 108062} or {@code nv263205}. */
  public @Nullable String id;

  /** Its description. */
  public @Nullable String desc;

  /** Distance from the run's outlet (km). */
  public @Nullable Double distance;

  /** Latitude in degrees. */
  public @Nullable Double latitude;

  /** Longitude in degrees. */
  public @Nullable Double longitude;

  /** Years of record. */
  public @Nullable Double years;

  static ClimateStation of(JsonNode n) {
    ClimateStation s = new ClimateStation();
    if (!n.isObject()) {
      s.markLossy();
      return s;
    }
    s.id = s.exactText(n.get("id"));
    s.desc = s.exactText(n.get("desc"));
    s.distance = s.exactNumber(n.get("distance"));
    s.latitude = s.exactNumber(n.get("latitude"));
    s.longitude = s.exactNumber(n.get("longitude"));
    s.years = s.exactNumber(n.get("years"));
    s.keepOthers(n, TYPED);
    return s;
  }
}
