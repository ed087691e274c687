package io.nodb.tools.scenario;

/**
 * One critical section that committed: who held which lock, with what fence, from when to when
 * ({@link System#nanoTime()}, which on Linux is {@code CLOCK_MONOTONIC} and so comparable between
 * the processes of one host), and how long it waited for the lock. Immutable; serialized by worker
 * JVMs as JSON.
 *
 * @param holder the thread (and process) that held it
 * @param lock the lock name, e.g. {@code climate.nodb}
 * @param enterNanos when the body started, lock held
 * @param exitNanos when the commit returned, lock still held
 * @param fence the fence of the acquisition
 * @param waitNanos from asking for the lock to holding it
 */
public record Hold(
    String holder, String lock, long enterNanos, long exitNanos, long fence, long waitNanos) {}
