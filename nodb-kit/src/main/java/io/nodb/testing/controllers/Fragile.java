package io.nodb.testing.controllers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.ControllerType;
import io.nodb.store.NoDbBase;

/**
 * A test controller whose state throws an {@link OutOfMemoryError} where the store least expects
 * one: while a file is read (migrating a legacy format 0 file always throws) or while the working
 * copy is serialized for the dump ({@link FragileState#failWrite}). Used to prove that every {@code
 * Throwable} releases the lock. File {@code fragile.nodb}.
 */
public final class Fragile extends NoDbBase<Fragile.FragileState> {

  /** The controller type. */
  public static final ControllerType<Fragile, FragileState> TYPE =
      ControllerType.register(
          Fragile.class,
          FragileState.class,
          "fragile",
          "fragile.nodb",
          Fragile::new,
          FragileState::new);

  private Fragile() {}

  /** Always throws {@link OutOfMemoryError}: reading any legacy file fails as a huge one did. */
  @Override
  protected ObjectNode migrate(int fromFormat, ObjectNode state) {
    throw new OutOfMemoryError("Fragile: migrating format " + fromFormat + " (test)");
  }

  /** The state: a note, and a switch that makes writing it throw an Error. */
  public static final class FragileState {

    /** Any text. */
    public String note = "";

    /** Set inside a mutation: the dump's serialization of this state throws. */
    @JsonIgnore public boolean failWrite;

    /** Returns 0, or throws when {@link #failWrite} is set. */
    @JsonProperty("probe")
    public int getProbe() {
      if (failWrite) {
        throw new OutOfMemoryError("Fragile: failWrite (test)");
      }
      return 0;
    }
  }
}
