package io.nodb.store;

import io.nodb.lock.LockHandle;
import java.nio.file.Path;

/**
 * What a {@link ControllerScope} reports back to the controller instance that opened it: the commit
 * of its working copy, and its close. Implemented by {@link ControllerRuntime}.
 */
interface ScopeOwner<S> {

  Path file();

  void commit(LockHandle handle, Published<S> base, S working);

  void scopeClosed(LockedScope<S> scope);
}
