package io.nodb.lock;

/**
 * Bounds of lock fences: fences are positive and at most {@link #MAX}, 2^53 - 1, the largest
 * integer that Lua numbers and JSON readers hold exactly. Constants only; thread-safe.
 */
public final class Fences {
  public static final long MAX = (1L << 53) - 1;

  private Fences() {}
}
