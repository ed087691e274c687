package io.nodb.lock;

/**
 * The bound every backend keeps fences within.
 *
 * <p>A fence is a positive {@code long} that only grows per key. Backends never hand out or lift a
 * fence above {@link #MAX}: {@code 2^53 - 1} is the largest integer a Lua number (a double) or a
 * JSON number read by common parsers holds exactly, so a fence stored by one component is read back
 * unchanged by every other, and {@code fence + 1} can never overflow. An acquisition or fence lift
 * that would go above it fails with {@link FenceLimitException} naming the fence and the bound; a
 * stored fence above it is reported as corrupt rather than used.
 */
public final class Fences {

  /** The largest fence a backend hands out: {@code 2^53 - 1 = 9007199254740991}. */
  public static final long MAX = (1L << 53) - 1;

  private Fences() {}
}
