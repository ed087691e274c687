package io.nodb.controllers;

import java.util.ArrayList;
import java.util.List;

/** The persisted state of {@link Climate}. A plain Jackson bean; mutate only inside locked(). */
public class ClimateState {
  /** The climate station id, e.g. {@code ID106388}. */
  public String station;

  /** First year of the observed or generated record. */
  public int startYear;

  /** Last year of the record. */
  public int endYear;

  /** How climate is built: {@code observed}, {@code stochastic} or {@code future}. */
  public String mode = "stochastic";

  /** Mean daily precipitation per month (mm), 12 values, from the last parsed inputs. */
  public List<Double> monthlyPrecipMm = new ArrayList<>();

  /** Number of daily records the last parse read. */
  public long parsedRecords;

  /** Set when the watershed changed after the climate was built. */
  public boolean stale;
}
