package io.nodb.tools;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a command line picocli cannot parse the way git does: one line on stderr, {@code nodb:
 * missing <run-dir>; see 'nodb status --help'}, and exit code {@link ExitCode#USAGE}; under {@code
 * --json} also one error document on stdout. Never prints the whole help. Used by one invocation at
 * a time.
 */
final class UsageErrors implements IParameterExceptionHandler {

  private final boolean json;

  /**
   * Creates the handler.
   *
   * @param json whether {@code --json} is among the arguments (parsing may have stopped before it)
   */
  UsageErrors(boolean json) {
    this.json = json;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String message = message(ex);
    String hint = "see '" + cmd.getCommandSpec().qualifiedName() + " --help'";
    cmd.getErr().println("nodb: " + message + "; " + hint);
    cmd.getErr().flush();
    if (json) {
      JsonOutput.error(cmd.getOut(), ExitCode.USAGE, message, hint);
    }
    return ExitCode.USAGE;
  }

  /** Returns the error in nodb's words: lower case, no trailing period, the value quoted. */
  static String message(ParameterException ex) {
    if (ex instanceof MissingParameterException missing) {
      List<ArgSpec> specs = missing.getMissing();
      if (specs.size() == 1 && specs.get(0) instanceof OptionSpec o && o.arity().min() > 0) {
        return "option '" + o.longestName() + "' needs a value (" + o.paramLabel() + ")";
      }
      return "missing " + labels(specs);
    }
    if (ex instanceof UnmatchedArgumentException unmatched) {
      List<String> args = unmatched.getUnmatched();
      String first = args.isEmpty() ? "" : args.get(0);
      boolean top = ex.getCommandLine().getParent() == null;
      if (first.startsWith("-")) {
        return "unknown option '" + first + "'";
      }
      if (top && !ex.getCommandLine().getParseResult().hasSubcommand()) {
        return "'" + first + "' is not a nodb command";
      }
      return "unexpected argument '" + first + "'";
    }
    String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    m = m.strip();
    if (m.endsWith(".")) {
      m = m.substring(0, m.length() - 1);
    }
    return m.isEmpty() ? m : m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
  }

  private static String labels(List<ArgSpec> specs) {
    return specs.stream()
        .map(
            s ->
                s instanceof PositionalParamSpec p
                    ? p.paramLabel()
                    : ((OptionSpec) s).longestName())
        .collect(Collectors.joining(" and "));
  }
}
