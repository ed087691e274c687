package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.store.ControllerType;
import io.nodb.store.LegacyMapping;
import io.nodb.store.LegacyState;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbEvent;
import io.nodb.store.NoDbStoreBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The landuse of a run: one landuse code per hillslope, rebuilt in bulk. Thread-safe (see {@link
 * NoDbBase}).
 */
public final class Landuse extends NoDbBase<LanduseState> {

  /** The controller type: {@code landuse.nodb}. */
  public static final ControllerType<Landuse, LanduseState> TYPE =
      ControllerType.register(
          Landuse.class,
          LanduseState.class,
          "landuse",
          "landuse.nodb",
          Landuse::new,
          LanduseState::new,
          LegacyMapping.of(
              Set.of("wepppy.nodb.landuse.Landuse", "wepppy.nodb.core.landuse.Landuse"),
              Landuse::fromPython));

  private Landuse() {}

  /** Maps a Python NoDb landuse file (format 0); unmapped fields are kept by the store. */
  static void fromPython(LegacyState from, LanduseState s) {
    String source = from.text("_nlcd_db");
    if (source != null) {
      s.source = source;
    }
    JsonNode dom = from.get("domlc_d");
    dom.properties()
        .forEach(
            e -> s.hillslopeCodes.put(e.getKey(), code(e.getValue(), "domlc_d." + e.getKey())));
    JsonNode mofe = from.get("domlc_mofe_d");
    mofe.properties()
        .forEach(
            h -> {
              TreeMap<String, Integer> ofes = new TreeMap<>();
              h.getValue()
                  .properties()
                  .forEach(
                      o ->
                          ofes.put(
                              o.getKey(),
                              code(o.getValue(), "domlc_mofe_d." + h.getKey() + "." + o.getKey())));
              s.mofeCodes.put(h.getKey(), ofes);
            });
  }

  private static int code(JsonNode v, String where) {
    Integer code = v.isNull() ? null : WithExtras.integer(v);
    if (code == null) {
      throw new IllegalArgumentException(where + " is " + v + ", not a landuse code");
    }
    return code;
  }

  /**
   * Returns the landuse of a run from the shared store.
   *
   * @param runDir the run directory
   * @return the shared instance
   */
  public static Landuse getInstance(Path runDir) {
    return NoDbStoreBuilder.shared().getInstance(Landuse.class, runDir);
  }

  /** Returns the code of one hillslope, or -1 when it has none. */
  public int code(String hillslope) {
    return state().hillslopeCodes.getOrDefault(hillslope, -1);
  }

  /**
   * Sets one hillslope's code.
   *
   * @param hillslope the hillslope id
   * @param code the landuse code
   */
  public void setCode(String hillslope, int code) {
    locked(s -> s.hillslopeCodes.put(hillslope, code));
  }

  /**
   * Rebuilds every code from {@code codeOf}, all or nothing: if it throws for one hillslope, no
   * code changes.
   *
   * @param hillslopes the hillslope ids
   * @param codeOf the code of each
   */
  public void rebuild(Iterable<String> hillslopes, ToIntFunction<String> codeOf) {
    locked(
        s -> {
          Map<String, Integer> codes = new TreeMap<>();
          for (String h : hillslopes) {
            codes.put(h, codeOf.applyAsInt(h));
          }
          s.hillslopeCodes = new TreeMap<>(codes);
          s.builds++;
        });
  }

  @Override
  public void on(NoDbEvent event) {
    if (event == TriggerEvent.WATERSHED_ABSTRACTION_COMPLETE) {
      locked(s -> s.hillslopeCodes.clear());
    }
  }
}
