package io.nodb.lock.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The identity this process stamps on its locks: host name and process id. Immutable.
 *
 * @param host the host name ({@code HOSTNAME}, else the resolver's, else {@code unknown-host})
 * @param pid this process's id
 */
public record HostIdentity(String host, long pid) {

  /** Returns the identity of the current process. */
  public static HostIdentity current() {
    return new HostIdentity(hostName(), ProcessHandle.current().pid());
  }

  /** Returns {@code host:pid}. */
  public String describe() {
    return host + ":" + pid;
  }

  private static String hostName() {
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
