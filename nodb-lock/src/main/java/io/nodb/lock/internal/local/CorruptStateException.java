package io.nodb.lock.internal.local;

import java.io.IOException;

/**
 * A file where a key's state should be is not a valid state file (does not parse, wrong format, a
 * fence outside {@code 0..Fences.MAX}). Listings skip such a file with a WARN; {@code forceUnlock}
 * and {@code clearRun} move it aside.
 */
final class CorruptStateException extends IOException {

  private static final long serialVersionUID = 1L;

  CorruptStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
