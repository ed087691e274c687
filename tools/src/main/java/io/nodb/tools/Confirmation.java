package io.nodb.tools;

import java.io.Console;
import java.util.Locale;

/**
 * Asks the operator to confirm a forced operation on the terminal. Without a terminal (a script, a
 * pipe, a test) it refuses, so a forced operation never happens unattended without {@code --yes}.
 * Stateless.
 */
final class Confirmation {

  private Confirmation() {}

  /**
   * Returns normally when the operation is confirmed.
   *
   * @param yes whether {@code --yes} was given
   * @param question the question, without the {@code [y/N]} suffix
   * @throws CliException exit 2 without a terminal, exit 1 if the operator does not answer yes
   */
  static void require(boolean yes, String question) {
    if (yes) {
      return;
    }
    Console console = System.console();
    if (console == null || !Terminal.interactive()) {
      throw CliException.usage(
          "refusing to ask for confirmation without a terminal; pass --yes to confirm");
    }
    String answer = console.readLine("%s [y/N] ", question);
    if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
      throw new CliException(ExitCode.FAILURE, "not confirmed; nothing changed");
    }
  }
}
