package io.nodb.lock.internal.redis;

import io.nodb.NoDbException;
import io.nodb.lock.LockBackendUnavailableException;
import io.nodb.lock.internal.RedisEndpoint;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Translates Jedis exceptions into nodb's with a message that says what is wrong: authentication
 * failed for which user, which database is out of range, which host name does not resolve,
 * connection refused or timed out at which address. Configuration errors (credentials, database,
 * ACL) are {@link LockBackendUnavailableException}s with {@link
 * LockBackendUnavailableException#isConfigurationError()} set; other error replies are {@link
 * NoDbException}s. Messages name the endpoint without its password. Stateless.
 */
final class RedisErrors {

  private RedisErrors() {}

  static RuntimeException translate(RedisEndpoint endpoint, String operation, RuntimeException e) {
    if (e instanceof JedisDataException) {
      String reply = String.valueOf(e.getMessage());
      String config = configurationProblem(endpoint, reply);
      if (config != null) {
        return new LockBackendUnavailableException(
            "Redis at " + endpoint + ": " + config + " (" + operation + ": " + reply + ")",
            e,
            true);
      }
      return new NoDbException(
          "Redis at " + endpoint + " replied with an error to " + operation + ": " + reply, e);
    }
    if (e instanceof JedisConnectionException || e instanceof JedisException) {
      return new LockBackendUnavailableException(
          "Redis at " + endpoint + " is unavailable (" + operation + "): " + transport(endpoint, e),
          e);
    }
    return e;
  }

  /** Returns what is wrong with this client's configuration, or null for another error reply. */
  private static String configurationProblem(RedisEndpoint endpoint, String reply) {
    String user = endpoint.user() == null ? "default" : endpoint.user();
    if (reply.startsWith("WRONGPASS") || reply.startsWith("ERR invalid password")) {
      return "authentication failed for user '"
          + user
          + "' (wrong password, unknown or disabled user)";
    }
    if (reply.startsWith("NOAUTH")) {
      return "authentication required: the server needs a password (redis://[user]:password@host)";
    }
    if (reply.contains("called without any password configured")) {
      return "the URL has a password but the server has none configured";
    }
    if (reply.startsWith("ERR DB index is out of range")) {
      return "database "
          + endpoint.database()
          + " out of range (see the server's 'databases' setting)";
    }
    if (reply.startsWith("NOPERM")) {
      return "user '" + user + "' lacks an ACL permission nodb needs";
    }
    return null;
  }

  /** Says which transport step failed, from the cause chain. */
  private static String transport(RedisEndpoint endpoint, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host '" + endpoint.host() + "' (the name does not resolve)";
      }
      if (t instanceof ConnectException) {
        return "connection refused at " + endpoint.host() + ":" + endpoint.port();
      }
      if (t instanceof SocketTimeoutException) {
        return "no answer within the timeout from " + endpoint.host() + ":" + endpoint.port();
      }
      if (t instanceof SSLException) {
        return "TLS handshake with " + endpoint.host() + ":" + endpoint.port() + " failed: " + t;
      }
    }
    return e.getMessage();
  }
}
