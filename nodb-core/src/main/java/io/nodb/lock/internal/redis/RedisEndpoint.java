package io.nodb.lock.internal.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A parsed Redis URL: {@code redis://[user:password@]host[:port][/db]}, or {@code rediss://} for
 * TLS. {@link #toString()} never shows the password. Immutable.
 *
 * @param host the host
 * @param port the port (6379 by default)
 * @param user the ACL user, or null
 * @param password the password, or null
 * @param database the database index
 * @param tls whether to use TLS
 */
record RedisEndpoint(
    String host, int port, String user, String password, int database, boolean tls) {

  static RedisEndpoint parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "invalid Redis URL '" + redact(url) + "': " + e.getMessage(), e);
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException(
          "invalid Redis URL '" + redact(url) + "': expected redis:// or rediss://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("invalid Redis URL '" + redact(url) + "': no host");
    }
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info);
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
    }
    int db = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "invalid Redis URL '" + redact(url) + "': database must be a number", e);
      }
    }
    return new RedisEndpoint(
        uri.getHost(),
        uri.getPort() < 0 ? 6379 : uri.getPort(),
        user,
        password,
        db,
        "rediss".equals(scheme));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String redact(String url) {
    return url.replaceAll("//[^@/]*@", "//***@");
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
