/**
 * The NoDb store: controllers ({@link io.nodb.store.NoDbBase}) persisted as fenced, crash-safe
 * files, opened through {@link io.nodb.store.NoDbStore}, and the read-only inspection used by
 * tools.
 *
 * <p>Null-marked: a type without {@link org.jspecify.annotations.Nullable} never holds null.
 */
@NullMarked
package io.nodb.store;

import org.jspecify.annotations.NullMarked;
