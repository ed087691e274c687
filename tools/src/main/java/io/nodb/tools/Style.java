package io.nodb.tools;

import java.util.regex.Pattern;

/**
 * ANSI colours for the text output, or none: {@link #PLAIN} paints nothing. The command picks one
 * with {@link Terminal#colour}, so pipes, files and {@code NO_COLOR} get plain text. Immutable.
 */
final class Style {

  /** No colour codes at all. */
  static final Style PLAIN = new Style(false);

  /** ANSI colour codes. */
  static final Style ANSI = new Style(true);

  private static final Pattern CODES = Pattern.compile("\u001B\\[[0-9;]*m");

  private final boolean enabled;

  private Style(boolean enabled) {
    this.enabled = enabled;
  }

  /** Returns whether this style emits colour codes. */
  boolean enabled() {
    return enabled;
  }

  /** Green: a check that passed. */
  String good(String s) {
    return paint("32", s);
  }

  /** Yellow: a warning or a held lock. */
  String warn(String s) {
    return paint("33", s);
  }

  /** Bold red: a failure, a broken invariant or a corrupt file. */
  String bad(String s) {
    return paint("1;31", s);
  }

  /** Bold: a header. */
  String bold(String s) {
    return paint("1", s);
  }

  private String paint(String code, String s) {
    return enabled && s != null && !s.isEmpty() ? "\u001B[" + code + "m" + s + "\u001B[0m" : s;
  }

  /** Returns how many columns {@code s} takes on a terminal (its length without colour codes). */
  static int visibleLength(String s) {
    return s.indexOf('\u001B') < 0 ? s.length() : CODES.matcher(s).replaceAll("").length();
  }
}
