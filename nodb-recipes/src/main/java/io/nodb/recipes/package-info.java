/**
 * Lock recipes for services, built on the lock client.
 *
 * <ul>
 *   <li>{@link io.nodb.recipes.SingleFlight}: a stampede guard for cache fills — one loader call
 *       per key across all processes, the others wait for its value; values live in a {@link
 *       io.nodb.recipes.ValueStore} ({@link io.nodb.recipes.RedisValueStore} shared with a TTL, or
 *       {@link io.nodb.recipes.CaffeineValueStore} in memory).
 *   <li>{@link io.nodb.recipes.ExclusiveJobs}: run-once scheduled jobs — of several instances that
 *       fire the same schedule, one runs the task and the others skip at once.
 * </ul>
 *
 * <p>See {@code docs/recipes.md} for the key layout and the failure behaviour.
 *
 * <p>Null-marked: a type without {@link org.jspecify.annotations.Nullable} never holds null.
 */
@NullMarked
package io.nodb.recipes;

import org.jspecify.annotations.NullMarked;
