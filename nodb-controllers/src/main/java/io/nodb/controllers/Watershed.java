package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.store.ControllerType;
import io.nodb.store.LegacyMapping;
import io.nodb.store.LegacyState;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbStoreBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watershed of a run: outlet, subcatchments and channels. Thread-safe (see {@link NoDbBase}).
 */
public final class Watershed extends NoDbBase<WatershedState> {

  /** The controller type: {@code watershed.nodb}. */
  public static final ControllerType<Watershed, WatershedState> TYPE =
      ControllerType.register(
          Watershed.class,
          WatershedState.class,
          "watershed",
          "watershed.nodb",
          Watershed::new,
          WatershedState::new,
          LegacyMapping.of(
              Set.of("wepppy.nodb.watershed.Watershed", "wepppy.nodb.core.watershed.Watershed"),
              Watershed::fromPython));

  private Watershed() {}

  /** Maps a Python NoDb watershed file (format 0); unmapped fields are kept by the store. */
  static void fromPython(LegacyState from, WatershedState s) {
    summaries(from, "_subs_summary", s.subcatchmentSummaries);
    summaries(from, "_chns_summary", s.channelSummaries);
    JsonNode outlet = from.get("_outlet");
    if (outlet.isObject()) {
      JsonNode at = outlet.path("actual_loc");
      Double lon = at.isArray() && at.size() == 2 ? LegacyState.exactDouble(at.get(0)) : null;
      Double lat = at.isArray() && at.size() == 2 ? LegacyState.exactDouble(at.get(1)) : null;
      if (lon != null && lat != null) {
        s.outletLon = lon;
        s.outletLat = lat;
        s.outlet = new WatershedOutlet();
        s.outlet.keepOthers(outlet, Set.of("actual_loc"));
      } else {
        from.keep("_outlet"); // no (lng, lat) of floats: kept as it is
      }
    } else if (!outlet.isMissingNode() && !outlet.isNull()) {
      from.keep("_outlet");
    }
    s.subcatchments = new ArrayList<>(s.subcatchmentSummaries.keySet());
    s.channels = new ArrayList<>(s.channelSummaries.keySet());
  }

  private static void summaries(
      LegacyState from, String field, Map<String, AbstractionSummary> into) {
    JsonNode n = from.get(field);
    if (n.isMissingNode() || n.isNull()) {
      return;
    }
    if (!n.isObject()) {
      from.keep(field);
      return;
    }
    n.properties()
        .forEach(
            e -> {
              AbstractionSummary summary = AbstractionSummary.of(e.getValue());
              if (summary.lossy()) {
                from.keep(field);
              }
              if (e.getValue().isObject()) {
                into.put(e.getKey(), summary);
              }
            });
  }

  /**
   * Returns the watershed of a run from the shared store.
   *
   * @param runDir the run directory
   * @return the shared instance
   */
  public static Watershed getInstance(Path runDir) {
    return NoDbStoreBuilder.shared().getInstance(Watershed.class, runDir);
  }

  /**
   * Sets the outlet (and drops the Python NoDb's record of the previous one, {@link
   * WatershedState#outlet}).
   *
   * @param lon longitude in degrees
   * @param lat latitude in degrees
   */
  public void setOutlet(double lon, double lat) {
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      throw new IllegalArgumentException("outlet out of range: " + lon + ", " + lat);
    }
    locked(
        s -> {
          s.outletLon = lon;
          s.outletLat = lat;
          // the Python NoDb's record of the old outlet (requested location, pixel) no longer
          // applies
          s.outlet = null;
        });
  }

  /**
   * Replaces subcatchments and channels with a delineation of {@code n} hillslopes and channels.
   *
   * @param n how many hillslopes
   * @return the subcatchment ids
   */
  public List<String> abstractWatershed(int n) {
    return lockedGet(
        s -> {
          if (s.outletLon == null) {
            throw new IllegalStateException("set the outlet before abstracting the watershed");
          }
          List<String> subs = new ArrayList<>();
          List<String> chans = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            subs.add("hill-" + i);
            chans.add("chn-" + i);
          }
          s.subcatchments = subs;
          s.channels = chans;
          return List.copyOf(subs);
        });
  }
}
