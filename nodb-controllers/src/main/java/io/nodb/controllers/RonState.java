package io.nodb.controllers;

import java.util.ArrayList;
import java.util.List;

/** The persisted state of {@link Ron}. A plain Jackson bean; mutate only inside locked(). */
public class RonState {
  /** The run's display name. */
  public String name;

  /** Who owns the run. */
  public String owner;

  /** The configuration the run was created from, e.g. {@code disturbed.cfg}. */
  public String configName;

  /** Enabled optional modules, in the order they were enabled. */
  public List<String> mods = new ArrayList<>();
}
