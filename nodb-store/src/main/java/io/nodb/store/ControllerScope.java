package io.nodb.store;

import io.nodb.lock.LockHandle;

/**
 * The scope of one locked mutation (see {@link LockedScope}); a nested scope on the same thread
 * shares the outer scope's working copy and does nothing on commit or close. Confined to the thread
 * that opened it.
 */
final class ControllerScope<S> implements LockedScope<S> {

  private final ScopeOwner<S> runtime;
  private final LockHandle handle;
  private final Published<S> base;
  private final S working;
  private final ControllerScope<S> outer;
  private boolean committed;
  private boolean closed;

  ControllerScope(ScopeOwner<S> runtime, LockHandle handle, Published<S> base, S working) {
    this(runtime, handle, base, working, null);
  }

  private ControllerScope(
      ScopeOwner<S> runtime,
      LockHandle handle,
      Published<S> base,
      S working,
      ControllerScope<S> outer) {
    this.runtime = runtime;
    this.handle = handle;
    this.base = base;
    this.working = working;
    this.outer = outer;
  }

  ControllerScope<S> nested() {
    return new ControllerScope<>(runtime, handle, base, working, this);
  }

  boolean isOpen() {
    return !closed;
  }

  boolean isCommitted() {
    return committed || (outer != null && outer.isCommitted());
  }

  @Override
  public S state() {
    if (closed || committed) {
      throw new IllegalStateException(
          "scope of " + runtime.file() + " is " + (closed ? "closed" : "committed"));
    }
    return working;
  }

  @Override
  public LockHandle lock() {
    return handle;
  }

  @Override
  public void commit() {
    if (closed || committed) {
      throw new IllegalStateException(
          "scope of " + runtime.file() + " is already " + (closed ? "closed" : "committed"));
    }
    if (outer == null) {
      runtime.commit(handle, base, working);
    }
    committed = true;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (outer == null) {
      try {
        runtime.scopeClosed(this);
      } finally {
        handle.close();
      }
    }
  }
}
