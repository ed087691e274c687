package io.nodb.controllers;

import io.nodb.store.ControllerType;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbEvent;
import io.nodb.store.NoDbStoreBuilder;
import java.nio.file.Path;
import java.util.Map;
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
          LanduseState::new);

  private Landuse() {}

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
