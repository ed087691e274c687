package io.nodb.controllers;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The persisted state of {@link Climate}. A plain Jackson bean; mutate only inside locked(). A
 * {@code @Nullable} field is null until it is set, or when the file does not have it.
 */
public class ClimateState {
  /** The climate station id, e.g. {@code ID106388}. */
  public @Nullable String station;

  /** First year of the observed or generated record, or null when not known. */
  public @Nullable Integer startYear;

  /** Last year of the record, or null when not known. */
  public @Nullable Integer endYear;

  /**
   * How climate is built: {@code observed}, {@code stochastic} or {@code future}; for a run read
   * from the Python NoDb also the other modes of its {@code ClimateMode} ({@code single-storm},
   * {@code prism}, {@code observed-prism}, {@code eobs}, ...; see {@code docs/migrating.md}), or
   * {@code legacy-<n>} for a number this build cannot name (see {@link #modeCode}).
   */
  public String mode = "stochastic";

  /** The Python NoDb's {@code ClimateMode} number, or null for runs created by nodb. */
  public @Nullable Integer modeCode;

  /** The Python enum class of {@link #modeCode} (its numbering differs between wepppy versions). */
  public @Nullable String modeClass;

  /** The Python NoDb's {@code ClimateStationMode} number, or null. */
  public @Nullable Integer stationMode;

  /** Years of climate to build ({@code _input_years}), or null. */
  public @Nullable Integer inputYears;

  /** First observed year, or null (the Python NoDb stores "no year" as an empty string). */
  public @Nullable Integer observedStartYear;

  /** Last observed year, or null. */
  public @Nullable Integer observedEndYear;

  /** First future year, or null. */
  public @Nullable Integer futureStartYear;

  /** Last future year, or null. */
  public @Nullable Integer futureEndYear;

  /** The stations nearest the outlet, nearest first. */
  public List<ClimateStation> closestStations = new ArrayList<>();

  /** Mean daily precipitation per month (mm), 12 values, from the last parsed inputs. */
  public List<Double> monthlyPrecipMm = new ArrayList<>();

  /** Number of daily records the last parse read. */
  public long parsedRecords;

  /** Set when the watershed changed after the climate was built. */
  public boolean stale;
}
