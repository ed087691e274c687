package io.nodb.lock.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * A parsed Redis URL: {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for
 * TLS; user and password are percent-decoded ({@code +} stays a plus). {@link #toString()} never
 * shows the password, and no exception of {@link #parse} carries the URL unredacted, in its message
 * or in a cause (it has none). Immutable.
 *
 * @param host the host
 * @param port the port (6379 by default)
 * @param user the ACL user, or null
 * @param password the password, or null
 * @param database the database index
 * @param tls whether to use TLS
 */
public record RedisEndpoint(
    String host, int port, String user, String password, int database, boolean tls) {

  /** The accepted form, as error messages show it. */
  static final String FORM = "redis://[user:password@]host[:port][/db] or rediss://... (TLS)";

  /**
   * Parses a Redis URL.
   *
   * @param url the URL
   * @return the endpoint
   * @throws IllegalArgumentException if the URL is invalid; the message shows it {@linkplain
   *     RedisUrls#redact redacted}
   */
  public static RedisEndpoint parse(String url) {
    if (url == null) {
      throw new IllegalArgumentException("no Redis URL");
    }
    String trimmed = url.trim();
    if (!trimmed.contains("://")) {
      // host:port, user:pw@host... : refused rather than guessed (TLS or not), with the form
      throw invalid(
          url,
          "no scheme; expected "
              + FORM
              + " (did you mean '"
              + RedisUrls.redact("redis://" + trimmed)
              + "'?)");
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      // The exception's own message quotes the input: only its reason is safe to show.
      throw invalid(url, e.getReason() + "; expected " + FORM);
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw invalid(url, "expected " + FORM);
    }
    if (uri.getHost() == null) {
      throw invalid(url, "no host (a password with reserved characters must be percent-encoded)");
    }
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(url, info);
      } else {
        user = colon == 0 ? null : decode(url, info.substring(0, colon));
        password = decode(url, info.substring(colon + 1));
      }
    }
    int db = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      if (!path.substring(1).matches("[0-9]{1,9}")) {
        throw invalid(url, "database must be a number");
      }
      db = Integer.parseInt(path.substring(1));
    }
    return new RedisEndpoint(
        uri.getHost(),
        uri.getPort() < 0 ? 6379 : uri.getPort(),
        user,
        password,
        db,
        "rediss".equals(scheme));
  }

  private static IllegalArgumentException invalid(String url, String why) {
    return new IllegalArgumentException(
        "invalid Redis URL '" + RedisUrls.redact(url) + "': " + why);
  }

  /** Percent-decodes user info as UTF-8; unlike form decoding, {@code +} is a plus. */
  private static String decode(String url, String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] != '%') {
        out.write(raw[i]);
        continue;
      }
      int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
      int lo = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
      if (hi < 0 || lo < 0) {
        throw invalid(url, "bad percent-escape in the user or password");
      }
      out.write(hi * 16 + lo);
      i += 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return (tls ? "rediss://" : "redis://")
        + host
        + ":"
        + port
        + (database == 0 ? "" : "/" + database);
  }
}
