/** Plumbing of the lock recipes: key mapping, text formats, counters, logging. Not an API. */
package io.nodb.recipes.internal;
