package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.store.ControllerType;
import io.nodb.store.LegacyMapping;
import io.nodb.store.LegacyState;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbEvent;
import io.nodb.store.NoDbStoreBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The climate of a run: station, record years, build mode, and statistics parsed from daily inputs.
 * Thread-safe (see {@link NoDbBase}).
 */
public final class Climate extends NoDbBase<ClimateState> {

  /** The controller type: {@code climate.nodb}. */
  public static final ControllerType<Climate, ClimateState> TYPE =
      ControllerType.register(
          Climate.class,
          ClimateState.class,
          "climate",
          "climate.nodb",
          Climate::new,
          ClimateState::new,
          LegacyMapping.of(
              Set.of("wepppy.nodb.climate.Climate", "wepppy.nodb.core.climate.Climate"),
              Climate::fromPython));

  /**
   * Mode names of the Python NoDb's {@code ClimateMode} numbers before wepppy renumbered the enum
   * (files without {@code _climate_spatialmode}: {@code Single, Localized, Observed, Future,
   * SingleStorm, SinglePRISM, Optimized, ObservedPRISM, MultipleObserved}).
   */
  private static final Map<Integer, String> MODES_BEFORE_SPATIAL_MODE =
      Map.of(
          0, "stochastic",
          1, "localized",
          2, "observed",
          3, "future",
          4, "single-storm",
          5, "prism",
          6, "optimized",
          7, "observed-prism",
          8, "observed");

  /**
   * Mode names after the renumbering (files with {@code _climate_spatialmode}, and every {@code
   * wepppy.nodb.core} file): {@code Vanilla 0, Observed 2, Future 3, SingleStorm 4, PRISM 5,
   * ObservedDb 6, FutureDb 7, EOBS 8, ObservedPRISM 9, AGDC 10, GridMetPRISM 11, UserDefined 12,
   * DepNexrad 13, SingleStormBatch 14, UserDefinedSingleStorm 15}.
   */
  private static final Map<Integer, String> MODES =
      Map.ofEntries(
          Map.entry(0, "stochastic"),
          Map.entry(2, "observed"),
          Map.entry(3, "future"),
          Map.entry(4, "single-storm"),
          Map.entry(5, "prism"),
          Map.entry(6, "observed-db"),
          Map.entry(7, "future-db"),
          Map.entry(8, "eobs"),
          Map.entry(9, "observed-prism"),
          Map.entry(10, "agdc"),
          Map.entry(11, "gridmet-prism"),
          Map.entry(12, "user-defined"),
          Map.entry(13, "dep-nexrad"),
          Map.entry(14, "single-storm-batch"),
          Map.entry(15, "user-defined-single-storm"));

  private Climate() {}

  /** Maps a Python NoDb climate file (format 0); unmapped fields are kept by the store. */
  static void fromPython(LegacyState from, ClimateState s) {
    s.station = from.text("_climatestation");
    JsonNode mode = from.get("_climate_mode");
    if (!mode.isMissingNode() && !mode.isNull()) {
      JsonNode code = mode.has("@enum") ? mode.get("@enum") : mode;
      boolean exact =
          code.isIntegralNumber()
              && code.canConvertToInt()
              && (mode == code
                  || (mode.size() == 2 && mode.path("@class").isTextual() && mode.has("@enum")));
      if (exact) {
        s.modeClass = mode.path("@class").isTextual() ? mode.get("@class").asText() : null;
        s.modeCode = code.asInt();
        boolean renumbered =
            from.has("_climate_spatialmode") || from.pythonClass().startsWith("wepppy.nodb.core.");
        String name = (renumbered ? MODES : MODES_BEFORE_SPATIAL_MODE).get(s.modeCode);
        s.mode = name == null ? "legacy-" + s.modeCode : name;
      } else {
        // not an enum of a number: kept as it is, the mode is unknown
        from.keep("_climate_mode");
        s.mode = "legacy-unknown";
      }
    }
    JsonNode stationMode = from.enumValue("_climatestation_mode");
    s.stationMode =
        stationMode != null && stationMode.isIntegralNumber() && stationMode.canConvertToInt()
            ? Integer.valueOf(stationMode.asInt())
            : null;
    if (stationMode != null && s.stationMode == null) {
      from.keep("_climatestation_mode");
    }
    s.inputYears = from.integer("_input_years");
    s.observedStartYear = from.integer("_observed_start_year");
    s.observedEndYear = from.integer("_observed_end_year");
    s.futureStartYear = from.integer("_future_start_year");
    s.futureEndYear = from.integer("_future_end_year");
    boolean future = "future".equals(s.mode);
    s.startYear = future ? s.futureStartYear : s.observedStartYear;
    s.endYear = future ? s.futureEndYear : s.observedEndYear;
    if (s.endYear == null && s.startYear != null && s.inputYears != null) {
      long end = (long) s.startYear + s.inputYears - 1;
      s.endYear = end == (int) end ? (int) end : null;
    }
    JsonNode stations = from.get("_closest_stations");
    if (stations.isArray()) {
      for (JsonNode st : stations) {
        ClimateStation station = ClimateStation.of(st);
        if (station.lossy()) {
          from.keep("_closest_stations");
        }
        if (st.isObject()) {
          s.closestStations.add(station);
        }
      }
    } else if (!stations.isMissingNode() && !stations.isNull()) {
      from.keep("_closest_stations");
    }
  }

  /**
   * Returns the climate of a run from the shared store.
   *
   * @param runDir the run directory
   * @return the shared instance
   */
  public static Climate getInstance(Path runDir) {
    return NoDbStoreBuilder.shared().getInstance(Climate.class, runDir);
  }

  /** Returns the station id. */
  public String station() {
    return state().station;
  }

  /**
   * Sets the station and the record years.
   *
   * @param station the station id
   * @param startYear first year
   * @param endYear last year, not before {@code startYear}
   */
  public void setStation(String station, int startYear, int endYear) {
    if (endYear < startYear) {
      throw new IllegalArgumentException(
          "end year " + endYear + " is before start year " + startYear);
    }
    locked(
        s -> {
          s.station = station;
          s.startYear = startYear;
          s.endYear = endYear;
        });
  }

  /**
   * Parses daily inputs ({@code year month day precipMm} per line) and stores monthly means: the
   * heavy operation of a climate build. A malformed line fails the whole parse and nothing is
   * saved.
   *
   * @param lines the daily records
   * @return the number of records parsed
   */
  public long parseInputs(List<String> lines) {
    return lockedGet(
        s -> {
          double[] sum = new double[12];
          long[] days = new long[12];
          long n = 0;
          for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 4) {
              throw new IllegalArgumentException("malformed climate record: '" + line + "'");
            }
            int month = Integer.parseInt(f[1]);
            sum[month - 1] += Double.parseDouble(f[3]);
            days[month - 1]++;
            n++;
          }
          List<Double> means = new ArrayList<>();
          for (int m = 0; m < 12; m++) {
            means.add(days[m] == 0 ? 0.0 : sum[m] / days[m]);
          }
          s.monthlyPrecipMm = means;
          s.parsedRecords = n;
          s.stale = false;
          return n;
        });
  }

  @Override
  public void on(NoDbEvent event) {
    if (event == TriggerEvent.WATERSHED_ABSTRACTION_COMPLETE) {
      locked(s -> s.stale = true);
    }
  }
}
