/**
 * A ShedLock {@code LockProvider} on nodb's locks.
 *
 * <p>Null-marked: a type without {@link org.jspecify.annotations.Nullable} never holds null.
 */
@NullMarked
package io.nodb.shedlock;

import org.jspecify.annotations.NullMarked;
