package io.nodb.lock.internal.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The one step of the local backend that needs free space on the file system: writing bytes into a
 * newly created temporary file or appending to the audit log. Renames, deletes, reads and OS locks
 * need none. A seam so that tests can simulate a full disk ({@code ENOSPC}) without one.
 */
@FunctionalInterface
interface SpaceWrites {

  /** Writes straight to the channel. */
  SpaceWrites DIRECT =
      (file, channel, bytes) -> {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      };

  /**
   * Writes all of {@code bytes} to {@code channel}.
   *
   * @param file the file the channel is open on, for messages
   * @param channel the open channel
   * @param bytes what to write
   * @throws IOException if the write fails (for example {@code No space left on device})
   */
  void write(Path file, FileChannel channel, ByteBuffer bytes) throws IOException;
}
