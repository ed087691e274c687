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
import org.jspecify.annotations.Nullable;

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
    if (dom.isObject()) {
      dom.properties()
          .forEach(
              e -> {
                Integer code = code(e.getValue());
                if (code != null) {
                  s.hillslopeCodes.put(e.getKey(), code);
                }
                if (code == null || !e.getValue().isInt()) {
                  from.keep("domlc_d");
                }
              });
    } else if (!dom.isMissingNode() && !dom.isNull()) {
      from.keep("domlc_d"); // a list (or anything else): not a map of codes, kept as it is
    }
    JsonNode mofe = from.get("domlc_mofe_d");
    if (mofe.isObject()) {
      mofe.properties()
          .forEach(
              h -> {
                if (!h.getValue().isObject()) {
                  from.keep("domlc_mofe_d");
                  return;
                }
                TreeMap<String, Integer> ofes = new TreeMap<>();
                h.getValue()
                    .properties()
                    .forEach(
                        o -> {
                          Integer code = code(o.getValue());
                          if (code != null) {
                            ofes.put(o.getKey(), code);
                          }
                          if (code == null || !o.getValue().isInt()) {
                            from.keep("domlc_mofe_d");
                          }
                        });
                s.mofeCodes.put(h.getKey(), ofes);
              });
    } else if (!mofe.isMissingNode() && !mofe.isNull()) {
      from.keep("domlc_mofe_d");
    }
  }

  /**
   * A landuse code: a JSON integer, or a string of digits (how wepppy stores them; the original is
   * then kept too, since the typed code is an integer); null for anything else.
   */
  private static @Nullable Integer code(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.asInt();
    }
    return v.isTextual() && v.asText().matches("\\d{1,9}") ? Integer.valueOf(v.asText()) : null;
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
