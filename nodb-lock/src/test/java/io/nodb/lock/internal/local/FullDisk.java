package io.nodb.lock.internal.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A disk that tests fill and free by hand: while full, every write that needs space lands one byte
 * (as a real disk may land part of a write) and then fails with {@code No space left on device}.
 * Thread-safe.
 */
final class FullDisk implements SpaceWrites {

  private final AtomicBoolean full = new AtomicBoolean();
  private final AtomicInteger refused = new AtomicInteger();

  void fill() {
    full.set(true);
  }

  void free() {
    full.set(false);
  }

  /** Returns how many writes failed for lack of space. */
  int refusedWrites() {
    return refused.get();
  }

  @Override
  public void write(Path file, FileChannel channel, ByteBuffer bytes) throws IOException {
    if (full.get()) {
      refused.incrementAndGet();
      channel.write(bytes.slice(bytes.position(), Math.min(1, bytes.remaining())));
      throw new FileSystemException(file.toString(), null, "No space left on device");
    }
    SpaceWrites.DIRECT.write(file, channel, bytes);
  }
}
