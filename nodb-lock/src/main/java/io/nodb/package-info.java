/**
 * The root exceptions of nodb: {@link io.nodb.NoDbException} (unchecked) and its subtypes shared by
 * every module.
 *
 * <p>Null-marked: a type without {@link org.jspecify.annotations.Nullable} never holds null.
 */
@NullMarked
package io.nodb;

import org.jspecify.annotations.NullMarked;
