package io.nodb.lock;

import java.util.List;

/**
 * One step of an incremental listing of the runs (and lock namespaces) that may hold locks: on
 * Redis the runs with a run index (a {@code SCAN} of the keyspace, for admin tools only, never a
 * hot path), on local files the runs root's subdirectories with a lock directory. A run may appear
 * in two steps (Redis {@code SCAN} semantics) and a listed run may hold no lock any more by the
 * time it is read; callers read each one's locks with {@link LockAdmin#locks(LockNamespace)} of
 * {@link LockNamespace#parse(String)}. Immutable.
 *
 * @param runIds the {@link LockNamespace#tag() tags} found in this step: run ids, and {@code
 *     kind:id} for namespaces that are not runs (possibly none, even when not {@link #done})
 * @param cursor what to pass to the next step
 * @param done whether the listing is complete (then {@link #cursor} is meaningless)
 */
public record RunScan(List<String> runIds, String cursor, boolean done) {

  /** The cursor that starts a listing. */
  public static final String START = "0";

  /**
   * Creates a step.
   *
   * @throws NullPointerException if {@code runIds} or {@code cursor} is null
   */
  public RunScan {
    runIds = List.copyOf(runIds);
    java.util.Objects.requireNonNull(cursor, "cursor");
  }
}
