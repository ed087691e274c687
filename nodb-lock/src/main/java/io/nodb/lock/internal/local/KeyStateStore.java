package io.nodb.lock.internal.local;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.lock.Fences;
import io.nodb.lock.LossReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes a key's {@link KeyState} file: one JSON object, for example {@code
 * {"format":2,"name":"a/b.nodb","fence":7,"holder":"tok|7|…","expiresAtMillis":…}}. Files of the
 * old per-key layout ({@code "format":1}, with an {@code "evicted"} array and possibly no holder)
 * are read as {@linkplain KeyState#legacy() legacy} states and never written.
 *
 * <p>Writes are crash-safe: the new state goes to a temporary file in the same directory, which is
 * forced to disk and then atomically renamed over the old one, and the directory is forced; a crash
 * at any point leaves either the old or the new state, never a torn one, so the fence is never
 * lost. Callers must hold the guard of the key's stripe (whose temporary file it is) so that only
 * one writer uses the temporary file at a time. Nothing here follows a symbolic link ({@link
 * SafeFiles}). A file whose fence is not an integer in {@code 0..}{@link Fences#MAX}, or that is
 * not exactly one JSON document without duplicate keys ({@link #STRICT}), is reported as corrupt.
 *
 * <p>Stateless and thread-safe. Every method throws {@link IOException} (including for a file that
 * is not a valid state file); the backend translates it.
 */
final class KeyStateStore {

  private static final Logger LOG = LoggerFactory.getLogger(KeyStateStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads the lock directory's JSON files as strictly as the store's envelope reader does: one
   * document, nothing after it, no duplicate keys (anything else is corrupt, never half-read).
   */
  static final ObjectReader STRICT = strictReader();

  private static final int FORMAT = 2;
  private static final int LEGACY_FORMAT = 1;

  private KeyStateStore() {}

  /**
   * Reads a key's state.
   *
   * @param stateFile the state file
   * @param name the key's name, used when the file does not exist yet
   * @return the state, fresh if the file does not exist
   * @throws IOException if the file cannot be read or is not a state file
   */
  static KeyState read(Path stateFile, String name) throws IOException {
    return readExisting(stateFile, name).orElseGet(() -> KeyState.fresh(name));
  }

  /**
   * Reads a state file if it exists.
   *
   * @param stateFile the state file (or a prepared released file)
   * @param name the key's name, used if the file records none
   * @return the state, or empty if the file does not exist
   * @throws CorruptStateException if the file is not a valid state file
   * @throws IOException if the file cannot be read
   */
  static Optional<KeyState> readExisting(Path stateFile, String name) throws IOException {
    Optional<JsonNode> parsed = parse(stateFile);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    JsonNode root = parsed.get();
    List<EvictionLog.Eviction> evictions = new ArrayList<>();
    for (JsonNode e : root.path("evicted")) {
      evictions.add(
          new EvictionLog.Eviction(
              e.path("token").asText(),
              reason(stateFile, e.path("reason").asText()),
              e.path("atMillis").asLong()));
    }
    JsonNode holder = root.path("holder");
    return Optional.of(
        new KeyState(
            root.path("name").asText(name),
            root.path("fence").asLong(),
            holder.isTextual() ? holder.asText() : null,
            root.path("expiresAtMillis").asLong(),
            new EvictionLog(evictions),
            root.path("format").asInt() == LEGACY_FORMAT));
  }

  /**
   * Replaces a file with a state atomically: writes {@code tempFile} (created exclusively, after
   * removing a stale one, which may be a link: the link is removed, never followed), forces it,
   * renames it over {@code targetFile} and forces the directory. On failure the temporary file is
   * removed, so a full disk is not left fuller.
   *
   * @param targetFile the state file
   * @param tempFile the temporary file in the same directory
   * @param state the new state
   * @param writes the writer of the bytes (a seam for tests of a full disk)
   * @throws IOException if the state cannot be made durable; the target is then unchanged
   */
  static void write(Path targetFile, Path tempFile, KeyState state, SpaceWrites writes)
      throws IOException {
    write(targetFile, tempFile, state, writes, true);
  }

  /**
   * Writes as {@link #write(Path, Path, KeyState, SpaceWrites)} does, optionally without forcing
   * the directory (when a later forced rename in the same directory makes this one durable too).
   *
   * @param targetFile the target
   * @param tempFile the temporary file in the same directory
   * @param state the new state
   * @param writes the writer of the bytes
   * @param forceDir whether to force the directory after the rename
   * @throws IOException if the state cannot be written; the target is then unchanged
   */
  static void write(
      Path targetFile, Path tempFile, KeyState state, SpaceWrites writes, boolean forceDir)
      throws IOException {
    writeBytes(targetFile, tempFile, JSON.writeValueAsBytes(toJson(state)), writes, forceDir);
  }

  /**
   * Replaces a file with {@code bytes} atomically, as {@link #write(Path, Path, KeyState,
   * SpaceWrites, boolean)} does.
   *
   * @param targetFile the target
   * @param tempFile the temporary file in the same directory
   * @param bytes the new content
   * @param writes the writer of the bytes
   * @param forceDir whether to force the directory after the rename
   * @throws IOException if the content cannot be written; the target is then unchanged
   */
  static void writeBytes(
      Path targetFile, Path tempFile, byte[] bytes, SpaceWrites writes, boolean forceDir)
      throws IOException {
    Files.deleteIfExists(tempFile);
    try {
      try (FileChannel out = SafeFiles.createNew(tempFile)) {
        writes.write(tempFile, out, ByteBuffer.wrap(bytes));
        out.force(true);
      }
      SafeFiles.shareLikeDirectory(tempFile);
      Files.move(tempFile, targetFile, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tempFile);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    if (forceDir) {
      forceDirectory(targetFile.getParent());
    }
  }

  private static ObjectNode toJson(KeyState state) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("name", state.name());
    root.put("fence", state.fence());
    if (state.holder() == null) {
      root.putNull("holder");
    } else {
      root.put("holder", state.holder());
    }
    root.put("expiresAtMillis", state.expiresAtMillis());
    return root;
  }

  static LossReason reason(Path stateFile, String text) throws IOException {
    try {
      return LossReason.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new CorruptStateException("unknown eviction reason '" + text + "' in " + stateFile, e);
    }
  }

  /** Returns the file's JSON, or empty if it does not exist. */
  private static Optional<JsonNode> parse(Path stateFile) throws IOException {
    byte[] bytes;
    try {
      bytes = SafeFiles.readAll(stateFile, SafeFiles.MAX_STATE_BYTES);
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = STRICT.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw notAStateFile(stateFile, e);
    }
    if (root == null
        || (root.path("format").asInt() != FORMAT && root.path("format").asInt() != LEGACY_FORMAT)
        || !root.path("fence").isIntegralNumber()
        || !root.path("name").isTextual()) {
      throw notAStateFile(stateFile, null);
    }
    JsonNode fence = root.path("fence");
    if (!fence.canConvertToLong() || fence.asLong() < 0 || fence.asLong() > Fences.MAX) {
      throw new CorruptStateException(
          "corrupt lock state: "
              + stateFile
              + " has fence "
              + fence.asText()
              + ", outside 0.."
              + Fences.MAX,
          null);
    }
    return Optional.of(root);
  }

  private static CorruptStateException notAStateFile(Path stateFile, Exception cause) {
    return new CorruptStateException(
        "corrupt lock state: "
            + stateFile
            + " is not a nodb lock state file (format "
            + FORMAT
            + ", or "
            + LEGACY_FORMAT
            + " of older versions)",
        cause);
  }

  private static ObjectReader strictReader() {
    ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    strict.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return strict.readerFor(JsonNode.class);
  }

  /** Makes the rename durable; some platforms (Windows) cannot open a directory, which is fine. */
  static void forceDirectory(Path dir) {
    try (FileChannel channel =
        FileChannel.open(dir, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("nodb.lock.local: could not fsync directory {}: {}", dir, e.toString());
    }
  }
}
