package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The summary of one hillslope or channel of a delineated watershed ({@code HillSummary} / {@code
 * ChannelSummary} in the Python NoDb, whose module path moved between wepppy versions): typed ids
 * and geometry; every other field (slopes, centroid, colour, its Python class) in {@link #extra()}.
 * A plain Jackson bean; a {@code @Nullable} field is null when the file does not have it.
 */
public class AbstractionSummary extends WithExtras {
  private static final Set<String> TYPED =
      Set.of("topaz_id", "wepp_id", "area", "length", "width", "slope_scalar", "aspect");

  /** The TOPAZ id. */
  public @Nullable Integer topazId;

  /** The WEPP id. */
  public @Nullable Integer weppId;

  /** Area (m²). */
  public @Nullable Double area;

  /** Length (m). */
  public @Nullable Double length;

  /** Width (m). */
  public @Nullable Double width;

  /** Mean slope (m/m). */
  public @Nullable Double slopeScalar;

  /** Aspect in degrees. */
  public @Nullable Double aspect;

  static AbstractionSummary of(JsonNode n) {
    AbstractionSummary s = new AbstractionSummary();
    if (!n.isObject()) {
      s.markLossy();
      return s;
    }
    s.topazId = s.exactInteger(n.get("topaz_id"));
    s.weppId = s.exactInteger(n.get("wepp_id"));
    s.area = s.exactNumber(n.get("area"));
    s.length = s.exactNumber(n.get("length"));
    s.width = s.exactNumber(n.get("width"));
    s.slopeScalar = s.exactNumber(n.get("slope_scalar"));
    s.aspect = s.exactNumber(n.get("aspect"));
    s.keepOthers(n, TYPED);
    return s;
  }
}
