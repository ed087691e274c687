package io.nodb.tools;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The host name nodb stamps on the locks this host takes: {@code HOSTNAME}, else the resolver's
 * name, else {@code unknown-host}. It must match what the lock client records as a holder's host
 * (the lock API does not expose it), so that orphan checks recognize this host's locks. Stateless.
 */
final class ThisHost {

  private ThisHost() {}

  /** Returns this host's name as nodb records it. */
  static String name() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
