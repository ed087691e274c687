package io.nodb.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.lock.LockKey;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The base of every controller: a stable handle (the cached identity of one controller file of one
 * run) around an immutable-by-convention state object that is swapped, never edited in place.
 *
 * <p><b>Reading.</b> {@link #state()} returns the current published version; readers get one
 * consistent version per call and never see a half-applied mutation. Do not modify the returned
 * object: mutate inside {@link #locked(Consumer)}.
 *
 * <p><b>Mutating.</b> {@link #locked(Consumer)} / {@link #lockedGet(Function)} (lambda form) and
 * {@link #lock()} (scope form, for checked exceptions) take the controller's distributed lock with
 * a deadline, refresh from disk if another process dumped a newer version, run the body on a
 * working copy, dump it fenced and crash-safe, publish it, and release. A body that throws dumps
 * and publishes nothing. A nested call on the same controller in the same thread joins the outer
 * one (one dump at the end). The body never runs without the lock.
 *
 * <p><b>Subclasses</b> declare a {@link ControllerType} and a static {@code getInstance(Path)}, add
 * typed accessors and mutation methods that call {@code locked}, and may override {@link
 * #migrate(int, ObjectNode)} and {@link #on(NoDbEvent)}. They reach sibling controllers through
 * {@link #store()}.
 *
 * <p>Thread-safety: safe for concurrent use by any number of threads and processes; mutations are
 * serialized by the lock, publication is a volatile swap.
 *
 * @param <S> the state class
 */
public abstract class NoDbBase<S> {

  private @Nullable ControllerRuntime<S> runtime;
  private @Nullable NoDbStore store;

  /** Creates an unbound controller; only the store binds it to a run. */
  protected NoDbBase() {}

  final void bind(ControllerRuntime<S> runtime, NoDbStore store) {
    if (this.runtime != null) {
      throw new IllegalStateException("controller already bound to " + this.runtime.file());
    }
    this.runtime = runtime;
    this.store = store;
  }

  final ControllerRuntime<S> runtime() {
    if (runtime == null) {
      throw new IllegalStateException(
          getClass().getSimpleName() + " was created outside a NoDbStore; use getInstance");
    }
    return runtime;
  }

  /**
   * Returns the store that bound this controller: reach the run's other controllers through it
   * ({@code store().getInstance(Climate.class, runDir())}), never through {@link
   * NoDbStoreBuilder#shared()}, so a controller of a store built by a test or a service stays in
   * that store (its lock client, cache and mirror). A detached copy ({@code ignoreLock}) and a
   * read-only instance also answer the store that loaded them. Safe from any thread.
   *
   * @return the store
   * @throws IllegalStateException if the controller was created outside a store
   */
  public final NoDbStore store() {
    runtime();
    return store;
  }

  /** Returns the current published state. Do not modify it. */
  public final S state() {
    return runtime().published().state();
  }

  /** Returns a deep copy of the current state, free to modify (changes are not saved). */
  public final S snapshot() {
    return runtime().copyOfPublished();
  }

  /** Returns the version of the current state (grows by one with every dump). */
  public final long version() {
    return runtime().published().version();
  }

  /**
   * Returns the format of the file the current state was read from: {@code 0} for a legacy
   * (jsonpickle) file of the Python NoDb that no dump has rewritten yet, else the current format.
   */
  public final int format() {
    return runtime().published().header().format();
  }

  /**
   * Returns, while the current state was read from a legacy (format 0) file and not dumped yet,
   * what its migration maps and keeps; the first dump keeps the original bytes beside the file and
   * writes format 1.
   */
  public final java.util.Optional<LegacyReport> legacyReport() {
    return java.util.Optional.ofNullable(runtime().published().legacy());
  }

  /** Returns the fence recorded by the dump that wrote the current state. */
  public final long fence() {
    return runtime().published().fence();
  }

  /** Returns the run directory. */
  public final Path runDir() {
    return runtime().runDir();
  }

  /** Returns the controller file. */
  public final Path file() {
    return runtime().file();
  }

  /** Returns the lock key of this controller file. */
  public final LockKey lockKey() {
    return runtime().key();
  }

  /** Returns whether the run is marked read-only (then {@code locked} and dumps are refused). */
  public final boolean isReadOnly() {
    return runtime().readOnly();
  }

  /** Returns whether this is a detached copy ({@code ignoreLock}) that is not cached. */
  public final boolean isDetached() {
    return runtime().detached();
  }

  /**
   * Runs {@code body} on a working copy under the lock, then dumps and publishes it.
   *
   * @param body the mutation
   * @throws NoDbReadOnlyException if the run is read-only
   * @throws io.nodb.lock.LockTimeoutException if the lock was not obtained in time
   * @throws io.nodb.lock.LockLostException if the lock was lost before the dump
   * @throws NoDbStaleWriteException if the file changed under us
   * @throws NoDbFencedWriteException if a newer holder wrote the file
   */
  public final void locked(Consumer<? super S> body) {
    lockedGet(
        s -> {
          body.accept(s);
          return null;
        });
  }

  /**
   * Runs {@code body} on a working copy under the lock, then dumps and publishes it, and returns
   * the body's result.
   *
   * @param body the mutation
   * @param <R> the result type (may be nullable: the body may return null)
   * @return what the body returned
   * @throws NoDbReadOnlyException if the run is read-only
   * @throws io.nodb.lock.LockTimeoutException if the lock was not obtained in time
   * @throws io.nodb.lock.LockLostException if the lock was lost before the dump
   * @throws NoDbStaleWriteException if the file changed under us
   * @throws NoDbFencedWriteException if a newer holder wrote the file
   */
  public final <R extends @Nullable Object> R lockedGet(Function<? super S, ? extends R> body) {
    try (LockedScope<S> scope = lock()) {
      R result = body.apply(scope.state());
      scope.commit();
      return result;
    }
  }

  /**
   * Opens a locked scope (try-with-resources). See {@link LockedScope}.
   *
   * @return the scope
   * @throws NoDbReadOnlyException if the run is read-only
   * @throws io.nodb.lock.LockTimeoutException if the lock was not obtained in time
   */
  public final LockedScope<S> lock() {
    return runtime().openScope();
  }

  /**
   * Upgrades the state of a file written in an older format. The default knows no older format.
   *
   * @param fromFormat the file's format
   * @param state the state object as read (may be modified and returned)
   * @return the state in the current format
   * @throws UnsupportedOperationException if this controller cannot migrate from that format
   */
  protected ObjectNode migrate(int fromFormat, ObjectNode state) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot migrate from format " + fromFormat);
  }

  /**
   * Reacts to an event sent by another controller. The default ignores it.
   *
   * @param event the event
   */
  public void on(NoDbEvent event) {}

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "["
        + (runtime == null ? "unbound" : runtime.file() + " v" + version())
        + "]";
  }
}
