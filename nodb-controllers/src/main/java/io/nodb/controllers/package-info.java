/**
 * Real model-run controllers built on the nodb store: {@link io.nodb.controllers.Ron} (run
 * metadata; creates the others), {@link io.nodb.controllers.Climate}, {@link
 * io.nodb.controllers.Landuse} and {@link io.nodb.controllers.Watershed}. Each is one {@code .nodb}
 * file in the run directory, read through {@code getInstance(runDir)} and changed only inside
 * {@code locked()}.
 *
 * <p>Null-marked: a type without {@link org.jspecify.annotations.Nullable} never holds null.
 */
@NullMarked
package io.nodb.controllers;

import org.jspecify.annotations.NullMarked;
