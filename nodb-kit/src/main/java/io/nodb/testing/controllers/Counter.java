package io.nodb.testing.controllers;

import io.nodb.store.ControllerType;
import io.nodb.store.NoDbBase;

/**
 * A counter controller ({@code counter.nodb}) for lost-update checks: many workers increment it
 * inside {@code locked()}, and the final count must equal the number of committed increments.
 * Thread-safe (see {@link NoDbBase}).
 */
public final class Counter extends NoDbBase<CounterState> {

  /** The controller type: {@code counter.nodb}. */
  public static final ControllerType<Counter, CounterState> TYPE =
      ControllerType.register(
          Counter.class,
          CounterState.class,
          "counter",
          "counter.nodb",
          Counter::new,
          CounterState::new);

  private Counter() {}

  /** Returns the current count. */
  public long count() {
    return state().count;
  }

  /**
   * Adds one, as a read-modify-write under the lock.
   *
   * @return the new count
   */
  public long increment() {
    return lockedGet(s -> ++s.count);
  }
}
