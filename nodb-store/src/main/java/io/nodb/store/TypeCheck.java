package io.nodb.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodb.store.internal.EnvelopeHeader;
import java.nio.file.Path;

/**
 * The one check that a format-1 file belongs to the controller loading it, used by the store on
 * every read and by {@link ControllerType#checkFile} / {@link NoDbTree#checkFile} (so the tools and
 * the store agree by construction). A file's header records its controller {@code type} and, since
 * this build, {@code controller}: {@value #TREE} for the generic tree controller, else the Java
 * class of the typed controller that wrote it. Refused: another type; a tree's file loaded by a
 * typed controller; a typed controller's file loaded as a tree; a file migrated from a Python class
 * the loading controller's mapping does not accept. A different Java class with the same type name
 * is accepted (the type name is the controller's identity; renaming a Java class keeps its files).
 * Stateless.
 */
final class TypeCheck {

  /** The header field naming who wrote the file. */
  static final String FIELD = "controller";

  /** Its value for the generic tree controller. */
  static final String TREE = "tree";

  private TypeCheck() {}

  static void require(ControllerType<?, ?> type, Path file, EnvelopeHeader h) {
    if (h.format() == 0) {
      return;
    }
    JsonNode byNode = h.extra().get(FIELD);
    String by = byNode == null ? null : byNode.isTextual() ? byNode.asText() : byNode.toString();
    boolean tree = TREE.equals(type.writer());
    String found = "controller type '" + h.type() + "'" + (by == null ? "" : " " + writtenBy(by));
    if (!h.type().equals(type.typeName())) {
      throw new NoDbWrongTypeException(file, "'" + type.typeName() + "'", found);
    }
    if (by != null && tree != TREE.equals(by)) {
      throw new NoDbWrongTypeException(
          file, "'" + type.typeName() + "' " + writtenBy(type.writer()), found);
    }
    JsonNode pythonClass = h.extra().path("legacy").path("pythonClass");
    if (!tree
        && type.legacy() != null
        && pythonClass.isTextual()
        && !type.legacy().accepts(pythonClass.asText())) {
      throw new NoDbWrongTypeException(
          file,
          "'"
              + type.typeName()
              + "' migrated from "
              + new java.util.TreeSet<>(type.legacy().pythonClasses()),
          "controller type '" + h.type() + "' migrated from Python class " + pythonClass.asText());
    }
  }

  private static String writtenBy(String controller) {
    return TREE.equals(controller) ? "of a tree (NoDbStore.getTree)" : "of " + controller;
  }
}
