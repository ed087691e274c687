package io.nodb.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * A cheap fingerprint of a file from one {@code stat}: its file key (device and inode), size and
 * modification time. Every dump renames a new file into place, so the file key changes with every
 * dump; comparing signatures tells "maybe changed" in about a microsecond without reading the file.
 * The {@code version} inside the file, not this signature, decides staleness.
 *
 * @param fileKey the file system's identity of the file (as text), or empty if it has none
 * @param size the size in bytes
 * @param modifiedNanos the modification time in nanoseconds since the epoch
 */
public record FileSignature(String fileKey, long size, long modifiedNanos) {

  /**
   * Reads the signature of a file.
   *
   * @param path the file
   * @return the signature, or empty if the file does not exist
   * @throws IOException if it cannot be read
   */
  public static Optional<FileSignature> of(Path path) throws IOException {
    try {
      return Optional.of(of(Files.readAttributes(path, BasicFileAttributes.class)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns the signature described by attributes already read.
   *
   * @param a the attributes
   * @return the signature
   */
  public static FileSignature of(BasicFileAttributes a) {
    Object key = a.fileKey();
    return new FileSignature(
        key == null ? "" : key.toString(),
        a.size(),
        a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
  }

  /** Returns a compact text form, used in cache entries. */
  public String encode() {
    return fileKey + "/" + size + "/" + modifiedNanos;
  }
}
