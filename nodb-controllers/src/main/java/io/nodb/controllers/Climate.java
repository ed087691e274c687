package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.ControllerType;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbEvent;
import io.nodb.store.NoDbStoreBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
          ClimateState::new);

  private Climate() {}

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

  /** Upgrades the Python-era jsonpickle file (format 0): {@code _climatestation} and friends. */
  @Override
  protected ObjectNode migrate(int fromFormat, ObjectNode old) {
    if (fromFormat != 0) {
      return super.migrate(fromFormat, old);
    }
    ObjectNode s = old.objectNode();
    s.put("station", text(old, "_climatestation"));
    int years = old.path("_input_years").asInt(0);
    int start = old.path("_observed_start_year").asInt(0);
    s.put("startYear", start);
    s.put("endYear", start == 0 ? 0 : start + years - 1);
    s.put(
        "mode",
        switch (old.path("_climate_mode").asInt(0)) {
          case 0 -> "stochastic";
          case 2 -> "observed";
          case 3 -> "future";
          default -> "stochastic";
        });
    old.fieldNames()
        .forEachRemaining(
            f -> {
              if (!f.startsWith("_")) {
                s.set(f, old.get(f));
              }
            });
    return s;
  }

  private static String text(ObjectNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
