package io.nodb.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code nodb} header of a {@code .nodb} file. {@code extra} holds header fields this build
 * does not know, so they survive a load/dump round trip. Immutable by convention (the node is not
 * modified after parsing).
 *
 * @param format the file format (1 today; 0 is the legacy jsonpickle shape)
 * @param type the controller type name
 * @param version grows by one with every dump; decides staleness
 * @param fence the lock fence of the dump that wrote the file
 * @param writtenAt when it was written (ISO-8601), or empty
 * @param writer who wrote it ({@code host:pid}), or empty
 * @param lineage the identity of the file's history: 32 hex digits made when the file is created
 *     (or repaired, or first dumped by a build that records lineages) and kept by every later dump;
 *     empty for files that have none yet. Two files with the same version but different lineages
 *     are different files.
 * @param extra unknown header fields, never null
 */
public record EnvelopeHeader(
    int format,
    String type,
    long version,
    long fence,
    String writtenAt,
    String writer,
    String lineage,
    ObjectNode extra) {

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** Returns a new random lineage id (32 lowercase hex digits). */
  public static String newLineage() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  /** Returns whether {@code text} is a well-formed lineage id. */
  public static boolean isLineage(String text) {
    return text.length() == 32
        && text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }

  /** Returns whether this header and {@code other} describe the same version of the same file. */
  public boolean sameVersionOf(EnvelopeHeader other) {
    return version == other.version && lineage.equals(other.lineage);
  }
}
