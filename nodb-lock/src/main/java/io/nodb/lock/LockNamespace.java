package io.nodb.lock;

import io.nodb.InvalidLockNamespaceException;
import java.util.regex.Pattern;

/**
 * The space a lock name lives in: a model run, or a namespace of some other kind (the recipes'
 * single-flight caches and exclusive jobs, or a program's own, such as {@code
 * LockNamespace.of("app", "billing")}). Every key of one namespace shares its fence counter, its
 * index, its audit trail and its Redis hash slot.
 *
 * <p>A run namespace is {@link #run(String) run(id)}, its {@link #tag() tag} is the bare run id, so
 * run keys keep the layout of deployed data ({@code nodb-lock:{run-42}:climate.nodb}). Any other
 * namespace is a kind and an id and its tag is {@code kind:id} ({@code
 * nodb-lock:{flight:prices}:…}): a run id cannot contain {@code :}, so no other namespace can ever
 * share a key, a directory or a hash slot's keys with a run, and the tag stays one Redis hash tag
 * (it never contains {@code {} or {@code }}). On the local backend a namespace's lock files live
 * under {@code <runs-root>/<tag>/.nodb-locks}, a directory that cannot be a run's.
 *
 * <p>A kind matches {@code [a-z][a-z0-9-]{0,31}}; the kind {@code run} is the run namespace ({@code
 * of("run", id)} equals {@code run(id)}). An id follows the rule of run ids: {@code
 * [A-Za-z0-9][A-Za-z0-9._-]{0,127}} with no {@code ..}.
 *
 * <p>Immutable and thread-safe; equal namespaces have equal tags and vice versa.
 *
 * @param kind the kind, {@link #RUN} for a run
 * @param id the run id, or the id within the kind
 */
public record LockNamespace(String kind, String id) {

  /** The kind of model runs. */
  public static final String RUN = "run";

  /** The kind of {@code SingleFlight} caches' compute locks: {@code flight:<cache name>}. */
  public static final String FLIGHT = "flight";

  /** The kind of {@code ExclusiveJobs} namespaces' locks: {@code job:<namespace>}. */
  public static final String JOB = "job";

  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * Validates and creates a namespace.
   *
   * @throws io.nodb.InvalidRunIdException if the kind is {@code run} and the id is no valid run id
   * @throws InvalidLockNamespaceException if the kind, or the id of another kind, is not acceptable
   */
  public LockNamespace {
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new InvalidLockNamespaceException(
          "invalid lock namespace kind "
              + quote(kind)
              + ": expected 1-32 characters of [a-z0-9-], starting with a letter");
    }
    if (RUN.equals(kind)) {
      LockKey.requireValidRunId(id);
    } else if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
      throw new InvalidLockNamespaceException(
          "invalid "
              + kind
              + " id "
              + quote(id)
              + ": expected 1-128 characters of [A-Za-z0-9._-], starting with a letter or digit,"
              + " with no '..'");
    }
  }

  /**
   * Returns the namespace of a run.
   *
   * @param runId the run id
   * @return the namespace
   * @throws io.nodb.InvalidRunIdException if the run id is not acceptable
   */
  public static LockNamespace run(String runId) {
    return new LockNamespace(RUN, runId);
  }

  /**
   * Returns a namespace of the given kind.
   *
   * @param kind the kind ({@code run} gives {@link #run(String)})
   * @param id the id within the kind
   * @return the namespace
   * @throws InvalidLockNamespaceException if the kind or the id is not acceptable
   * @throws io.nodb.InvalidRunIdException if the kind is {@code run} and the id is no valid run id
   */
  public static LockNamespace of(String kind, String id) {
    return new LockNamespace(kind, id);
  }

  /**
   * Parses a {@link #tag()}: {@code kind:id}, or a bare run id ({@code run:id} is accepted too).
   *
   * @param tag the text
   * @return the namespace
   * @throws InvalidLockNamespaceException if {@code kind:id} has an invalid kind or id
   * @throws io.nodb.InvalidRunIdException if the text is neither {@code kind:id} nor a valid run id
   */
  public static LockNamespace parse(String tag) {
    int colon = tag == null ? -1 : tag.indexOf(':');
    if (colon < 0) {
      return run(tag);
    }
    return new LockNamespace(tag.substring(0, colon), tag.substring(colon + 1));
  }

  /**
   * Returns the namespace whose {@link #tag()} is exactly {@code tag}, if there is one: what a
   * listing accepts as the name of a namespace it found (a run index key, a directory), so {@code
   * run:x}, whose tag is {@code x}, is not one.
   *
   * @param tag the text
   * @return the namespace, or empty
   */
  public static java.util.Optional<LockNamespace> ofTag(String tag) {
    try {
      LockNamespace ns = parse(tag);
      return ns.tag().equals(tag) ? java.util.Optional.of(ns) : java.util.Optional.empty();
    } catch (io.nodb.InvalidRunIdException | InvalidLockNamespaceException notATag) {
      return java.util.Optional.empty();
    }
  }

  /** Returns whether this is a run's namespace. */
  public boolean isRun() {
    return RUN.equals(kind);
  }

  /**
   * Returns the namespace's text in keys, directories and messages: the run id for a run, else
   * {@code kind:id}.
   */
  public String tag() {
    return isRun() ? id : kind + ":" + id;
  }

  private static String quote(String value) {
    return value == null ? "null" : "'" + value.replace("\0", "\\0") + "'";
  }

  /** Returns {@link #tag()}. */
  @Override
  public String toString() {
    return tag();
  }
}
