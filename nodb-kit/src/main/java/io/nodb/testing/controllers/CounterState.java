package io.nodb.testing.controllers;

import java.util.ArrayList;
import java.util.List;

/** The state of {@link Counter}: a count and the fences of the increments that produced it. */
public class CounterState {
  /** The number of committed increments. */
  public long count;

  /** A free-form label, for tests of non-counter changes. */
  public String label = "";

  /** Recent writers' notes (bounded by the tests that use it). */
  public List<String> notes = new ArrayList<>();
}
