package io.nodb.testing.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds TCP ports that are free on the loopback interface right now. Stateless. */
final class LocalPorts {

  private LocalPorts() {}

  /**
   * Returns a port nothing listens on at this instant; another process may take it before the
   * caller binds it, so callers retry on a bind failure.
   */
  static int free() {
    try (ServerSocket socket =
        new ServerSocket(0, 1, InetAddress.getByName(RedisServerProcess.HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + RedisServerProcess.HOST, e);
    }
  }
}
