package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The summary of one hillslope or channel of a delineated watershed ({@code HillSummary} / {@code
 * ChannelSummary} in the Python NoDb, whose module path moved between wepppy versions): typed ids
 * and geometry; every other field (slopes, centroid, colour, its Python class) in {@link #extra()}.
 * A plain Jackson bean.
 */
public class AbstractionSummary extends WithExtras {
  private static final Set<String> TYPED =
      Set.of("topaz_id", "wepp_id", "area", "length", "width", "slope_scalar", "aspect");

  /** The TOPAZ id. */
  public Integer topazId;

  /** The WEPP id. */
  public Integer weppId;

  /** Area (m²). */
  public Double area;

  /** Length (m). */
  public Double length;

  /** Width (m). */
  public Double width;

  /** Mean slope (m/m). */
  public Double slopeScalar;

  /** Aspect in degrees. */
  public Double aspect;

  static AbstractionSummary of(JsonNode n) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("a summary is " + n.getNodeType() + ", not an object");
    }
    AbstractionSummary s = new AbstractionSummary();
    s.topazId = integer(n.get("topaz_id"));
    s.weppId = integer(n.get("wepp_id"));
    s.area = number(n.get("area"));
    s.length = number(n.get("length"));
    s.width = number(n.get("width"));
    s.slopeScalar = number(n.get("slope_scalar"));
    s.aspect = number(n.get("aspect"));
    s.keepOthers(n, TYPED);
    return s;
  }
}
