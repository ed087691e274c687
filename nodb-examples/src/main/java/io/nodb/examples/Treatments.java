package io.nodb.examples;

import io.nodb.store.ControllerType;
import io.nodb.store.NoDbBase;
import java.util.ArrayList;
import java.util.List;

/** A controller: the treatments applied to a run, kept in {@code treatments.nodb}. */
public final class Treatments extends NoDbBase<Treatments.State> {

  /** The persisted state: a plain Jackson bean; change it only inside {@code locked()}. */
  public static final class State {
    /** The treatments, in the order they were applied. */
    public List<String> applied = new ArrayList<>();
  }

  /** The file name, the state class and how to make both: registered once per JVM. */
  public static final ControllerType<Treatments, State> TYPE =
      ControllerType.register(
          Treatments.class,
          State.class,
          "treatments",
          "treatments.nodb",
          Treatments::new,
          State::new);

  private Treatments() {}

  /** Returns the treatments of the published version (a whole version, never half a change). */
  public List<String> applied() {
    return List.copyOf(state().applied);
  }

  /**
   * Applies a treatment: lock, refresh from disk, change a copy, fenced dump, publish, release. A
   * throw writes nothing and changes nothing.
   *
   * @param treatment what was applied
   */
  public void apply(String treatment) {
    locked(s -> s.applied.add(treatment));
  }
}
