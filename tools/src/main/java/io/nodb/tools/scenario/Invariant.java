package io.nodb.tools.scenario;

/**
 * One checked invariant of a scenario: what must hold, what was expected and what was observed.
 * Immutable.
 *
 * @param name what is checked, e.g. {@code overlapping critical sections}
 * @param expected the expected value, as text
 * @param actual the observed value, as text
 * @param ok whether the observation meets the expectation
 */
public record Invariant(String name, String expected, String actual, boolean ok) {

  /** An invariant on a count: holds when {@code actual == expected}. */
  static Invariant count(String name, long expected, long actual) {
    return new Invariant(name, Long.toString(expected), Long.toString(actual), expected == actual);
  }

  /** An invariant on a yes/no fact that must be true. */
  static Invariant yes(String name, boolean actual) {
    return new Invariant(name, "yes", actual ? "yes" : "no", actual);
  }

  /** An invariant on a value that must equal the expected one. */
  static Invariant equal(String name, Object expected, Object actual) {
    return new Invariant(
        name, String.valueOf(expected), String.valueOf(actual), expected.equals(actual));
  }
}
