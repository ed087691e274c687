package io.nodb.lock.internal;

/**
 * The one redaction of Redis URLs: every message, log line or description that names a Redis URL
 * shows it through {@link #redact(String)}. Stateless and thread-safe.
 */
public final class RedisUrls {

  private RedisUrls() {}

  /**
   * Returns {@code url} without its secrets, whether or not it is a well-formed URL: everything
   * between {@code //} and the <em>last</em> {@code @} (a password may contain {@code @}, {@code
   * /}, {@code :} or spaces) becomes {@code ***}, keeping a plain ACL user name ({@code
   * user:***@host}); a query becomes {@code ?***}; without an {@code @}, an authority whose port is
   * not a number is hidden whole ({@code redis://:secret} has no host, only a password).
   *
   * @param url the URL as given, may be null or malformed
   * @return the redacted text ({@code null} for null)
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String s = url.strip();
    int scheme = s.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    String head = s.substring(0, start);
    String rest = s.substring(start);
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String info = rest.substring(0, at);
      int colon = info.indexOf(':');
      String user = colon > 0 ? info.substring(0, colon) : "";
      String kept = user.matches("[A-Za-z0-9._~-]+") ? user + ":" : "";
      return head + kept + "***@" + hideQuery(rest.substring(at + 1));
    }
    int slash = firstOf(rest, '/', '?');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String tail = slash < 0 ? "" : rest.substring(slash);
    int colon = authority.endsWith("]") ? -1 : authority.lastIndexOf(':');
    if (authority.contains(" ")
        || (colon >= 0 && !authority.substring(colon + 1).matches("[0-9]*"))) {
      return head + "***" + hideQuery(tail);
    }
    return head + authority + hideQuery(tail);
  }

  private static String hideQuery(String s) {
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q) + "?***";
  }

  private static int firstOf(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
