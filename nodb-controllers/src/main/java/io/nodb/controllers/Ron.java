package io.nodb.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.store.ControllerType;
import io.nodb.store.LegacyMapping;
import io.nodb.store.LegacyState;
import io.nodb.store.NoDbBase;
import io.nodb.store.NoDbEvent;
import io.nodb.store.NoDbStore;
import io.nodb.store.NoDbStoreBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The run's metadata (name, owner, configuration, enabled modules); creating a run creates the
 * other controllers under Ron's lock. Thread-safe (see {@link NoDbBase}).
 */
public final class Ron extends NoDbBase<RonState> {

  /** The controller type: {@code ron.nodb}. */
  public static final ControllerType<Ron, RonState> TYPE =
      ControllerType.register(
          Ron.class,
          RonState.class,
          "ron",
          "ron.nodb",
          Ron::new,
          RonState::new,
          LegacyMapping.of(
              Set.of("wepppy.nodb.ron.Ron", "wepppy.nodb.core.ron.Ron"), Ron::fromPython));

  private Ron() {}

  /** Maps a Python NoDb ron file (format 0); unmapped fields are kept by the store. */
  static void fromPython(LegacyState from, RonState s) {
    s.name = from.text("_name");
    s.configName = from.text("_configname");
    s.config = from.text("_config");
    JsonNode mods = from.get("_mods");
    if (mods.isArray()) {
      for (JsonNode m : mods) {
        if (m.isTextual()) {
          s.mods.add(m.asText());
        } else {
          from.keep("_mods"); // a mod that is no string is kept as it is, never stringified
        }
      }
    } else if (!mods.isMissingNode() && !mods.isNull()) {
      from.keep("_mods");
    }
    s.cellSize = from.number("_cellsize");
    JsonNode map = from.get("_map");
    if (map.isObject()) {
      s.map = RonMap.of(map);
      if (s.map.lossy()) {
        from.keep("_map");
      }
    } else if (!map.isMissingNode() && !map.isNull()) {
      from.keep("_map");
    }
  }

  /**
   * Returns the metadata of a run from the shared store.
   *
   * @param runDir the run directory
   * @return the shared instance
   */
  public static Ron getInstance(Path runDir) {
    return NoDbStoreBuilder.shared().getInstance(Ron.class, runDir);
  }

  /**
   * Creates a run: its directory, {@code ron.nodb}, and empty climate, landuse and watershed
   * controllers, all while holding Ron's lock, then tells the others {@link
   * TriggerEvent#RUN_CREATED}.
   *
   * @param store the store
   * @param runDir the new run directory (its name is the run id)
   * @param name display name
   * @param owner owner
   * @param configName configuration name
   * @return the run's Ron
   */
  public static Ron create(
      NoDbStore store, Path runDir, String name, String owner, String configName) {
    Ron ron =
        store.create(
            Ron.class,
            runDir,
            s -> {
              s.name = name;
              s.owner = owner;
              s.configName = configName;
            });
    ron.locked(
        s -> {
          for (ControllerType<?, ?> sibling : siblings()) {
            create(store, runDir, sibling);
          }
        });
    ron.trigger(TriggerEvent.RUN_CREATED);
    return ron;
  }

  /** Returns the run's display name. */
  public String name() {
    return state().name;
  }

  /** Returns the enabled modules. */
  public List<String> mods() {
    return List.copyOf(state().mods);
  }

  /**
   * Enables an optional module (idempotent).
   *
   * @param mod the module name
   */
  public void enableMod(String mod) {
    locked(
        s -> {
          if (!s.mods.contains(mod)) {
            s.mods.add(mod);
          }
        });
  }

  /**
   * Sends an event to the run's other controllers, found in the store that bound this one ({@link
   * #store()}), never in the shared store.
   *
   * @param event the event
   * @throws io.nodb.store.NoDbNotFoundException if one of them has no file
   */
  public void trigger(NoDbEvent event) {
    NoDbStore store = store();
    for (ControllerType<?, ?> sibling : siblings()) {
      store.getInstance(sibling.controllerClass(), runDir()).on(event);
    }
  }

  /** The run's other controllers: every shipped type but Ron ({@link Controllers#ALL}). */
  private static List<ControllerType<?, ?>> siblings() {
    return Controllers.ALL.stream().filter(t -> t != TYPE).toList();
  }

  private static <C extends NoDbBase<S>, S> void create(
      NoDbStore store, Path runDir, ControllerType<C, S> type) {
    store.create(type.controllerClass(), runDir, s -> {});
  }
}
