package io.nodb.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.internal.LegacyDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Maps a decoded legacy document onto a controller's state: the class check, the mapping, and the
 * split of the original fields into mapped and kept. Used by the store on load and by {@link
 * ControllerType#planLegacy} (so the tools and the store agree by construction). Stateless.
 */
final class LegacyMigration {

  private LegacyMigration() {}

  /** A mapped legacy file: its typed state, the fields kept verbatim, and the report. */
  record Mapped<S>(S state, ObjectNode kept, LegacyReport report) {}

  static <S> Mapped<S> map(
      ControllerType<?, S> type, Path source, LegacyDocument doc, ObjectMapper mapper) {
    LegacyMapping<S> mapping = type.legacy();
    if (mapping == null) {
      throw new NoDbLegacyFormatException(
          source,
          null,
          "$",
          "controller '" + type.typeName() + "' has no mapping for the Python NoDb's files");
    }
    if (!mapping.accepts(doc.pythonClass())) {
      throw new NoDbLegacyFormatException(
          source,
          "py/object",
          "$",
          "holds Python class "
              + NoDbLegacyFormatException.excerpt(doc.pythonClass())
              + "; controller '"
              + type.typeName()
              + "' reads "
              + new TreeSet<>(mapping.pythonClasses()));
    }
    S state = type.newState();
    LegacyState from = new LegacyState(doc.pythonClass(), doc.fields());
    try {
      mapping.map(from, state);
    } catch (RuntimeException e) {
      throw new NoDbCorruptFileException(
          source,
          "legacy format 0: cannot map to "
              + type.stateClass().getSimpleName()
              + ": "
              + NoDbLegacyFormatException.excerpt(e.getMessage()),
          e);
    }
    ObjectNode kept = mapper.createObjectNode();
    List<String> mapped = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : doc.original().properties()) {
      String decodedName = e.getKey().startsWith("@") ? "@" + e.getKey() : e.getKey();
      if (from.mapped().contains(decodedName)) {
        mapped.add(e.getKey());
      }
      if (!from.mapped().contains(decodedName) || from.keptVerbatim().contains(decodedName)) {
        kept.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    List<String> keptNames = new ArrayList<>();
    kept.fieldNames().forEachRemaining(keptNames::add);
    return new Mapped<>(state, kept, new LegacyReport(doc.pythonClass(), mapped, keptNames));
  }
}
