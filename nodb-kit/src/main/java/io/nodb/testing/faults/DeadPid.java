package io.nodb.testing.faults;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Finds the pid of a process that has exited (by starting {@code true} and reaping it). */
final class DeadPid {

  private DeadPid() {}

  static long next() {
    try {
      Process p = new ProcessBuilder("true").start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("'true' did not exit within 10 s");
      }
      return p.pid();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start 'true' to find a dead pid", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while finding a dead pid", e);
    }
  }

  static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName().replace('|', '_');
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  static String newToken() {
    return "orphan-" + java.util.UUID.randomUUID().toString().replace("-", "");
  }
}
