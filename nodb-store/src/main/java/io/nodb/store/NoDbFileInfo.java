package io.nodb.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.internal.Envelope;
import io.nodb.store.internal.FileSignature;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link NoDbFiles#inspect} found in one {@code .nodb} file: a {@link Diagnosis}, the reason
 * when the store could not load the file, and, when the file was parsed, its header, its state and
 * (for a legacy file) what the store's migration would map and keep. The file was read with the
 * store's own bounded reader and strict parser, so the store and a tool built on this never
 * disagree about a file.
 *
 * <p>Immutable and thread-safe: the state, the header's unknown fields and the content are copied
 * on every access.
 */
public final class NoDbFileInfo {

  /** What a file is, as the store sees it. */
  public enum Diagnosis {
    /** A format-1 envelope the store can load (for the controller it was checked against). */
    VALID,
    /** A legacy (format 0, jsonpickle) file the store would migrate on its first write. */
    LEGACY,
    /** Not a usable envelope: bad JSON, a bad header, trailing content, a refused legacy file. */
    CORRUPT,
    /** A valid envelope of another controller (another type, a tree's file, a typed file). */
    WRONG_TYPE,
    /** A symbolic link that is not followed (leading out of the run, or any link at the path). */
    LINK,
    /** A directory, FIFO, socket or device; never opened for reading. */
    SPECIAL_FILE,
    /** Larger than the size limit; never read whole. */
    TOO_LARGE,
    /** No such file (or a dangling link). */
    MISSING,
    /** The file exists but could not be read (permissions, I/O error). */
    UNREADABLE
  }

  /**
   * The {@code nodb} header of a file. For a legacy (format 0) file: format 0, the Python class as
   * type, version and fence 0, empty writer, time and lineage.
   *
   * @param format the file format (1 today; 0 is legacy)
   * @param type the controller type name
   * @param version grows by one with every dump
   * @param fence the lock fence of the dump that wrote the file
   * @param writtenAt when it was written (ISO-8601), or empty
   * @param writer who wrote it ({@code host:pid}), or empty
   * @param lineage 32 hex digits naming the file's history, or empty
   * @param extra the header fields this build does not read itself, in file order ({@code
   *     controller}, {@code legacy}, fields of newer builds); a copy is returned
   */
  public record Header(
      int format,
      String type,
      long version,
      long fence,
      String writtenAt,
      String writer,
      String lineage,
      ObjectNode extra) {

    /**
     * Copies the unknown fields.
     *
     * @throws NullPointerException if a text field or {@code extra} is null
     */
    public Header {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(writtenAt, "writtenAt");
      Objects.requireNonNull(writer, "writer");
      Objects.requireNonNull(lineage, "lineage");
      extra = extra.deepCopy();
    }

    @Override
    public ObjectNode extra() {
      return extra.deepCopy();
    }

    /**
     * Returns who wrote the file: a typed controller's Java class, or {@code tree}, if recorded.
     */
    public Optional<String> controller() {
      JsonNode n = extra.get("controller");
      return n == null ? Optional.empty() : Optional.of(n.isTextual() ? n.asText() : n.toString());
    }

    /**
     * Returns the {@code legacy} record of a migrated file (the Python class it came from and the
     * name of the backup of its original bytes), if the header has one.
     */
    public Optional<ObjectNode> legacyRecord() {
      JsonNode n = extra.get("legacy");
      return n instanceof ObjectNode o ? Optional.of(o.deepCopy()) : Optional.empty();
    }

    /** Returns the file name of the original bytes kept beside a migrated file, if recorded. */
    public Optional<String> legacyBackup() {
      JsonNode n = extra.path("legacy").path("original");
      return n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }

    static Header of(io.nodb.store.internal.EnvelopeHeader h) {
      return new Header(
          h.format(),
          h.type(),
          h.version(),
          h.fence(),
          h.writtenAt(),
          h.writer(),
          h.lineage(),
          h.extra());
    }
  }

  private final Path runDir;
  private final Path path;
  private final Diagnosis diagnosis;
  private final @Nullable String reason;
  private final byte @Nullable [] content;
  private final @Nullable Envelope envelope;
  private final @Nullable Header header;
  private final @Nullable LegacyReport legacy;
  private final @Nullable ControllerType<?, ?> controller;
  private final @Nullable FileSignature signature;
  private final long maxSize;

  private NoDbFileInfo(
      Path runDir,
      Path path,
      Diagnosis diagnosis,
      @Nullable String reason,
      byte @Nullable [] content,
      @Nullable Envelope envelope,
      @Nullable LegacyReport legacy,
      @Nullable ControllerType<?, ?> controller,
      @Nullable FileSignature signature,
      long maxSize) {
    this.runDir = runDir;
    this.path = path;
    this.diagnosis = diagnosis;
    this.reason = reason;
    this.content = content;
    this.envelope = envelope;
    this.header = envelope == null ? null : Header.of(envelope.header());
    this.legacy = legacy;
    this.controller = controller;
    this.signature = signature;
    this.maxSize = maxSize;
  }

  /** A file that could not be read or parsed. */
  static NoDbFileInfo refused(
      Path runDir,
      Path path,
      Diagnosis diagnosis,
      String reason,
      byte @Nullable [] content,
      @Nullable Envelope envelope,
      @Nullable ControllerType<?, ?> controller) {
    return new NoDbFileInfo(
        runDir, path, diagnosis, reason, content, envelope, null, controller, null, -1);
  }

  /** A file the store can load. */
  static NoDbFileInfo loadable(
      Path runDir,
      Path path,
      byte[] content,
      Envelope envelope,
      @Nullable LegacyReport legacy,
      @Nullable ControllerType<?, ?> controller,
      @Nullable FileSignature signature,
      long maxSize) {
    return new NoDbFileInfo(
        runDir,
        path,
        legacy == null ? Diagnosis.VALID : Diagnosis.LEGACY,
        null,
        content,
        envelope,
        legacy,
        controller,
        signature,
        maxSize);
  }

  /** Returns the run directory the file was read in (for a lone file: its directory). */
  public Path runDir() {
    return runDir;
  }

  /** Returns the file. */
  public Path path() {
    return path;
  }

  /** Returns what the file is. */
  public Diagnosis diagnosis() {
    return diagnosis;
  }

  /** Returns whether the store can load the file ({@link Diagnosis#VALID} or {@code LEGACY}). */
  public boolean loadable() {
    return diagnosis == Diagnosis.VALID || diagnosis == Diagnosis.LEGACY;
  }

  /**
   * Returns why the store cannot load the file, in a few words without the path (the {@link
   * NoDbCorruptFileException#problem()} the store would throw); empty for a loadable file.
   */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** Returns the file's size in bytes, or -1 when it was not read. */
  public long size() {
    return content == null ? -1 : content.length;
  }

  /** Returns a copy of the bytes read, if the file was read (a corrupt file included). */
  public Optional<byte[]> content() {
    return content == null ? Optional.empty() : Optional.of(content.clone());
  }

  /**
   * Returns the header, if the file is an envelope whose header could be read: always for a
   * loadable file, and for a {@link Diagnosis#WRONG_TYPE} file or a state that does not fit.
   */
  public Optional<Header> header() {
    return Optional.ofNullable(header);
  }

  /**
   * Returns a copy of the state as a JSON tree (for a legacy file: its decoded fields), if the file
   * is an envelope whose header could be read.
   */
  public Optional<ObjectNode> state() {
    return envelope == null ? Optional.empty() : Optional.of(envelope.state().deepCopy());
  }

  /** Returns, for a {@link Diagnosis#LEGACY} file, what the store's migration maps and keeps. */
  public Optional<LegacyReport> legacy() {
    return Optional.ofNullable(legacy);
  }

  /**
   * Returns the controller the file was checked against, if one owns its name (else a format-1 file
   * was checked as an envelope of its own type and a legacy file as a tree).
   */
  public Optional<ControllerType<?, ?>> controller() {
    return Optional.ofNullable(controller);
  }

  @Nullable Envelope envelope() {
    return envelope;
  }

  @Nullable FileSignature signature() {
    return signature;
  }

  long maxSize() {
    return maxSize;
  }

  @Override
  public String toString() {
    return "NoDbFileInfo["
        + path
        + ": "
        + diagnosis
        + (reason == null ? "" : " (" + reason + ")")
        + (header == null ? "" : ", type " + header.type() + " v" + header.version())
        + "]";
  }
}
