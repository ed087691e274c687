package io.nodb.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one confirmation policy of every destructive command ({@code unlock}, {@code clear-locks},
 * moving a run's lock domain): {@code --yes} confirms; otherwise the question is asked on stderr
 * and answered on stdin, and only when stdin is a terminal, whatever stdout is (so {@code nodb
 * unlock ... > log} still asks). Without a terminal on stdin (a script, a pipe, a test) it refuses
 * with exit 2, so nothing destructive happens unattended without {@code --yes}. Stateless.
 */
final class Confirmation {

  private Confirmation() {}

  /**
   * Returns normally when the operation is confirmed.
   *
   * @param yes whether {@code --yes} was given
   * @param question the question, without the {@code [y/N]} suffix
   * @param err where to ask
   * @throws CliException exit 2 without a terminal on stdin, exit 1 if the answer is not yes
   */
  static void require(boolean yes, String question, PrintWriter err) {
    if (yes) {
      return;
    }
    if (!stdinIsTerminal()) {
      throw CliException.usage(
          "refusing to ask for confirmation: stdin is not a terminal; pass --yes to confirm");
    }
    err.print(question + " [y/N] ");
    err.flush();
    String answer;
    try {
      answer =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "cannot read the answer: " + e.getMessage());
    }
    if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
      throw new CliException(ExitCode.FAILURE, "not confirmed; nothing changed");
    }
  }

  /**
   * Whether stdin is a terminal: on Linux, where {@code /proc/self/fd/0} points; elsewhere the
   * console (which also needs stdout to be a terminal).
   */
  static boolean stdinIsTerminal() {
    Path fd0 = Path.of("/proc/self/fd/0");
    try {
      if (Files.isSymbolicLink(fd0)) {
        String target = Files.readSymbolicLink(fd0).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (IOException | RuntimeException e) {
      return Terminal.interactive(); // no /proc: the console is the best guess
    }
    return Terminal.interactive();
  }
}
