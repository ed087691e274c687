/**
 * The lock API: {@link io.nodb.lock.LockClient} (from {@link io.nodb.lock.LockClient#builder()}),
 * its handles, keys, options and outcomes, and {@link io.nodb.lock.LockAdmin} for operators.
 *
 * <p>Null-marked: a type without {@link org.jspecify.annotations.Nullable} never holds null; an
 * absent value is an empty {@link java.util.Optional}.
 */
@NullMarked
package io.nodb.lock;

import org.jspecify.annotations.NullMarked;
