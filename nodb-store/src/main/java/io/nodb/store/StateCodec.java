package io.nodb.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.internal.Envelope;
import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.EnvelopeHeader;
import io.nodb.store.internal.FileSignature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state codec of one controller: parses a file's bytes into a {@link Published} version (the
 * strict envelope reader, the type check, the legacy mapping or the controller's {@link
 * NoDbBase#migrate} hook), makes working copies of published states, and merges a working copy with
 * the fields its state class does not know. Touches no file and no lock. Thread-safe (the mapper
 * is).
 *
 * @param <S> the state class
 */
final class StateCodec<S> {

  private final ControllerType<?, S> type;
  private final NoDbBase<S> controller;
  private final EnvelopeCodec codec;

  /**
   * @param type the controller's type
   * @param controller its instance, whose {@link NoDbBase#migrate} upgrades older formats
   * @param codec the store's envelope codec
   */
  StateCodec(ControllerType<?, S> type, NoDbBase<S> controller, EnvelopeCodec codec) {
    this.type = type;
    this.controller = controller;
    this.codec = codec;
  }

  ObjectMapper mapper() {
    return codec.mapper();
  }

  /**
   * Parses a file (or a cache entry) into a published version.
   *
   * @throws NoDbCorruptFileException if it cannot be used (a {@link NoDbWrongTypeException} for
   *     another controller's file, a {@link NoDbLegacyFormatException} for a refused legacy file)
   */
  Published<S> parse(byte[] bytes, FileSignature sig, Path source) {
    Envelope env = codec.read(source, bytes);
    TypeCheck.require(type, source, env.header());
    ObjectNode state = env.state();
    EnvelopeHeader header = env.header();
    if (env.legacy() != null) {
      header =
          new EnvelopeHeader(0, type.typeName(), 0, 0, "", "", "", mapper().createObjectNode());
      if (type.legacy() != null) {
        LegacyMigration.Mapped<S> m = LegacyMigration.map(type, source, env.legacy(), mapper());
        ObjectNode tree = mapper().valueToTree(m.state());
        return new Published<>(m.state(), tree, header, sig, m.kept(), m.report(), bytes);
      }
      state = migrate(0, state, source);
      List<String> names = new ArrayList<>();
      env.legacy().original().fieldNames().forEachRemaining(names::add);
      return new Published<>(
          typed(state, source),
          state,
          header,
          sig,
          null,
          new LegacyReport(env.legacy().pythonClass(), names, List.of()),
          bytes);
    }
    if (header.format() < EnvelopeCodec.CURRENT_FORMAT) {
      state = migrate(header.format(), state, source);
    }
    return new Published<>(typed(state, source), state, header, sig, env.kept(), null, null);
  }

  /** The version of a controller created in memory: version 0, a new lineage, no file yet. */
  Published<S> initial(S initial) {
    return new Published<>(
        initial,
        mapper().valueToTree(initial),
        new EnvelopeHeader(
            EnvelopeCodec.CURRENT_FORMAT,
            type.typeName(),
            0,
            0,
            "",
            "",
            EnvelopeHeader.newLineage(),
            mapper().createObjectNode()),
        null);
  }

  /** Returns a deep copy of a published state, free to mutate. */
  S copy(Published<S> p, Path file) {
    if (JsonNode.class.isAssignableFrom(type.stateClass())) {
      // treeToValue would hand back the published tree itself
      return type.stateClass().cast(p.tree().deepCopy());
    }
    try {
      return mapper().treeToValue(p.tree(), type.stateClass());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot copy the state of " + file, e);
    }
  }

  /**
   * Returns the tree to write for a working copy: the copy itself for a tree controller (a removed
   * field is removed), else its fields plus the top-level fields of {@code base} the state class
   * does not know, so they survive a round trip.
   */
  ObjectNode treeOf(S working, Published<S> base) {
    if (JsonNode.class.isAssignableFrom(type.stateClass())) {
      return ((ObjectNode) working).deepCopy();
    }
    ObjectNode written = mapper().valueToTree(working);
    for (Map.Entry<String, JsonNode> e : base.tree().properties()) {
      if (!written.has(e.getKey())) {
        written.set(e.getKey(), e.getValue());
      }
    }
    return written;
  }

  private ObjectNode migrate(int fromFormat, ObjectNode state, Path source) {
    try {
      return controller.migrate(fromFormat, state.deepCopy());
    } catch (RuntimeException e) {
      throw new NoDbCorruptFileException(
          source, "cannot migrate from format " + fromFormat + ": " + e.getMessage(), e);
    }
  }

  private S typed(ObjectNode state, Path source) {
    try {
      return mapper().treeToValue(state, type.stateClass());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new NoDbCorruptFileException(
          source,
          "state does not fit " + type.stateClass().getSimpleName() + ": " + e.getMessage(),
          e);
    }
  }
}
