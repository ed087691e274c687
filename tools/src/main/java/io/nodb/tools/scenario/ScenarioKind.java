package io.nodb.tools.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The named scenarios of {@code nodb scenario}, in the order {@code nodb demo} runs them: each with
 * its name, its defaults and the factory of its implementation. Immutable and thread-safe.
 */
public enum ScenarioKind {
  /** N threads (in P processes) released together onto {@code climate.nodb}. */
  THUNDERING_HERD("thundering-herd", 16, 4, 5, 30_000, true, ThunderingHerd::new),
  /** A profile playback: heavy locked operations of every controller back to back. */
  RAPID_SEQUENTIAL("rapid-sequential", 1, 20, 0, 30_000, true, RapidSequential::new),
  /** A holder whose lease ran out tries to dump after a new holder committed. */
  TTL_EXPIRATION("ttl-expiration", 2, 1, 0, 300, false, TtlExpiration::new),
  /** A holder loses its token; its release is refused and an operator recovers. */
  TOKEN_CORRUPTION("token-corruption", 1, 1, 5, 30_000, false, TokenCorruption::new),
  /** Locks left by a dead JVM: freed by expiry and by force. */
  ORPHANED_LOCKS("orphaned-locks", 1, 1, 0, 1_500, false, OrphanedLocks::new),
  /** An operator clears the run's locks while a holder works. */
  CLEAR_DURING_OPERATION("clear-during-operation", 1, 1, 0, 600, false, ClearDuringOperation::new);

  private final String cliName;
  private final int threads;
  private final int requests;
  private final long holdMillis;
  private final long leaseMillis;
  private final boolean contention;
  private final Supplier<Scenario> factory;

  ScenarioKind(
      String cliName,
      int threads,
      int requests,
      long holdMillis,
      long leaseMillis,
      boolean contention,
      Supplier<Scenario> factory) {
    this.cliName = cliName;
    this.threads = threads;
    this.requests = requests;
    this.holdMillis = holdMillis;
    this.leaseMillis = leaseMillis;
    this.contention = contention;
    this.factory = factory;
  }

  /**
   * Returns the scenario of a name.
   *
   * @param name e.g. {@code thundering-herd}
   * @return the scenario, or empty for an unknown name
   */
  public static Optional<ScenarioKind> byName(String name) {
    return Arrays.stream(values()).filter(k -> k.cliName.equals(name)).findFirst();
  }

  /** Returns every scenario's name, in the order {@code nodb demo} runs them. */
  public static List<String> names() {
    return Arrays.stream(values()).map(ScenarioKind::cliName).toList();
  }

  /** Returns the name on the command line, e.g. {@code thundering-herd}. */
  public String cliName() {
    return cliName;
  }

  /** Returns the default threads per process. */
  public int threads() {
    return threads;
  }

  /** Returns the default locked operations per thread. */
  public int requests() {
    return requests;
  }

  /** Returns the default simulated work per critical section, in milliseconds. */
  public long holdMillis() {
    return holdMillis;
  }

  /** Returns the default lease, in milliseconds. */
  public long leaseMillis() {
    return leaseMillis;
  }

  /**
   * Returns whether this is a contention scenario (thundering-herd, rapid-sequential): it runs
   * threads x requests operations, optionally spread over worker JVMs ({@code --processes}).
   */
  public boolean contention() {
    return contention;
  }

  /** Returns a new instance of the scenario's implementation. */
  Scenario create() {
    return factory.get();
  }
}
