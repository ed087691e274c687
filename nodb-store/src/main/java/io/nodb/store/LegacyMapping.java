package io.nodb.store;

import java.util.Set;
import java.util.function.BiConsumer;

/**
 * How a controller reads a legacy (format 0, jsonpickle) file of the Python NoDb: which Python
 * classes it accepts at the top level (one per wepppy version that moved the class), and how the
 * decoded fields fill a fresh state. Fields the mapping reads are mapped; all others are kept
 * verbatim in the format-1 file and carried by every later dump, so a mapping can never lose one.
 * Implementations must be stateless and thread-safe.
 *
 * @param <S> the state class
 */
public interface LegacyMapping<S> {

  /** Returns the accepted top-level Python classes, e.g. {@code wepppy.nodb.climate.Climate}. */
  Set<String> pythonClasses();

  /**
   * Returns whether a file whose top-level object has this Python class is this controller's.
   *
   * @param pythonClass the class
   * @return by default, whether {@link #pythonClasses()} contains it
   */
  default boolean accepts(String pythonClass) {
    return pythonClasses().contains(pythonClass);
  }

  /**
   * Fills {@code into} (a fresh initial state) from {@code from}.
   *
   * @param from the decoded fields
   * @param into the state to fill
   * @throws RuntimeException if a field cannot be mapped (the file is then refused, not written)
   */
  void map(LegacyState from, S into);

  /**
   * Returns a mapping from its classes and a function.
   *
   * @param pythonClasses accepted top-level Python classes
   * @param mapper fills the state
   * @param <S> the state class
   * @return the mapping
   */
  static <S> LegacyMapping<S> of(Set<String> pythonClasses, BiConsumer<LegacyState, S> mapper) {
    Set<String> classes = Set.copyOf(pythonClasses);
    return new LegacyMapping<>() {
      @Override
      public Set<String> pythonClasses() {
        return classes;
      }

      @Override
      public void map(LegacyState from, S into) {
        mapper.accept(from, into);
      }
    };
  }
}
