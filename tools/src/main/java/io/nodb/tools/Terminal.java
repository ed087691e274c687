package io.nodb.tools;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * What the command knows about where its output goes: whether stdout is an interactive terminal,
 * and whether it may colour its output there. Colour is used only on a terminal and never when
 * {@code NO_COLOR} is set to a non-empty value (<a href="https://no-color.org">no-color.org</a>).
 * Stateless and thread-safe.
 */
final class Terminal {

  private Terminal() {}

  /**
   * Returns whether stdin and stdout are an interactive terminal. On JDK 22 and later {@link
   * System#console()} also returns a console for redirected streams, so its {@code isTerminal()} is
   * asked where it exists.
   *
   * @return true on a terminal, false for pipes, files and {@code /dev/null}
   */
  static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (NoSuchMethodException e) {
      return true; // JDK 17 to 21: a console exists only on a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Returns whether output may be coloured: on a terminal and without {@code NO_COLOR}.
   *
   * @param env the environment
   * @return whether to emit ANSI colour codes
   */
  static boolean colour(Map<String, String> env) {
    String noColor = env.get("NO_COLOR");
    return (noColor == null || noColor.isEmpty()) && interactive();
  }
}
