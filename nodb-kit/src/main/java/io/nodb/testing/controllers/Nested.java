package io.nodb.testing.controllers;

import io.nodb.store.ControllerType;
import io.nodb.store.NoDbBase;

/**
 * A test controller whose file lives in a subdirectory of the run, {@code sub/nested.nodb}, with
 * the counter's state. Used to prove that a planted link at {@code sub} is refused.
 */
public final class Nested extends NoDbBase<CounterState> {

  /** The controller type. */
  public static final ControllerType<Nested, CounterState> TYPE =
      ControllerType.register(
          Nested.class,
          CounterState.class,
          "nested",
          "sub/nested.nodb",
          Nested::new,
          CounterState::new);

  private Nested() {}
}
