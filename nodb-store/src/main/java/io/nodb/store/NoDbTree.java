package io.nodb.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.store.internal.Envelope;
import io.nodb.store.internal.EnvelopeCodec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The generic tree controller: any {@code .nodb} file of a run read as a Jackson tree, for
 * controllers that have no Java class (the Python NoDb's soils, topaz, wepp, unitizer, omni, ...).
 * Same locking, refresh, fenced dumps and legacy migration as a typed controller: a format-0 file
 * is decoded (see {@code docs/migrating.md}) with every field mapped into the tree, its Python
 * class recorded in the header, and its original bytes kept beside it on the first dump. Obtained
 * from {@link NoDbStore#getTree(Path, String)}; its type name is the file name without {@code
 * .nodb} (lower case, other characters as {@code -}), and its header records {@code "controller":
 * "tree"}, so a typed controller never loads a tree's file (nor a tree a typed controller's file:
 * {@link NoDbWrongTypeException}). A file name that a registered typed controller owns (for example
 * {@code climate.nodb} once {@code Climate} is loaded) is refused by {@code getTree}: use the typed
 * controller.
 *
 * <p>{@link #state()} must not be modified; change the tree inside {@link #locked}. Unlike a typed
 * controller, a field removed from the tree inside {@code locked()} is removed from the file.
 * Thread-safe (see {@link NoDbBase}).
 */
public final class NoDbTree extends NoDbBase<ObjectNode> {

  /** Maps every field of any Python class into the tree. */
  static final LegacyMapping<ObjectNode> MAPPING =
      new LegacyMapping<>() {
        @Override
        public Set<String> pythonClasses() {
          return Set.of();
        }

        @Override
        public boolean accepts(String pythonClass) {
          return true;
        }

        @Override
        public void map(LegacyState from, ObjectNode into) {
          from.names().forEach(n -> into.set(n, from.get(n)));
        }
      };

  NoDbTree() {}

  /**
   * Returns the type name a tree of {@code fileName} has in its header.
   *
   * @param fileName the file's path in the run, e.g. {@code soils.nodb}
   * @return e.g. {@code soils}
   * @throws IllegalArgumentException if the name does not end in {@code .nodb}
   */
  public static String typeNameOf(String fileName) {
    if (!fileName.endsWith(".nodb")) {
      throw new IllegalArgumentException("controller file must end in .nodb: '" + fileName + "'");
    }
    String base = fileName.substring(fileName.lastIndexOf('/') + 1, fileName.length() - 5);
    String t = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
    if (t.isEmpty() || !Character.isLetter(t.charAt(0))) {
      t = "t" + t;
    }
    return t.length() > 64 ? t.substring(0, 64) : t;
  }

  /**
   * Says what the store would do with a legacy (format 0) file read as a tree, writing nothing.
   *
   * @param file the file, for messages
   * @param bytes its content
   * @return what would be mapped (every field) and kept (nothing)
   * @throws NoDbCorruptFileException if the store would refuse it
   * @throws IllegalArgumentException if the file is not format 0
   */
  public static LegacyReport planLegacy(Path file, byte[] bytes) {
    EnvelopeCodec codec = new EnvelopeCodec(new ObjectMapper());
    Envelope env = codec.read(file, bytes);
    if (env.legacy() == null) {
      throw new IllegalArgumentException(file + " is format " + env.header().format() + ", not 0");
    }
    String name = String.valueOf(file.getFileName());
    return LegacyMigration.map(ControllerType.tree(name), file, env.legacy(), codec.mapper())
        .report();
  }

  /**
   * Checks a file the way the store does before reading it as a tree, writing nothing: the strict
   * reader, then, for a format-1 file, that it is a tree's file of this name (its type is {@link
   * #typeNameOf} of the name, and no typed controller wrote it).
   *
   * @param file the file; its name gives the expected type
   * @param bytes its content
   * @throws NoDbWrongTypeException if it holds a typed controller's or another tree's state
   * @throws NoDbCorruptFileException if the store would refuse it for another reason
   */
  public static void checkFile(Path file, byte[] bytes) {
    EnvelopeCodec codec = new EnvelopeCodec(new ObjectMapper());
    TypeCheck.require(
        ControllerType.tree(String.valueOf(file.getFileName())),
        file,
        codec.read(file, bytes).header());
  }

  /** A tree knows no older format: its state is kept as read. */
  @Override
  protected ObjectNode migrate(int fromFormat, ObjectNode state) {
    return state;
  }

  /**
   * Returns a copy of the value at a JSON pointer of the current state, or a missing node.
   *
   * @param pointer e.g. {@code /domsoil_d/22}
   * @return the value
   */
  public JsonNode at(String pointer) {
    return state().at(pointer).deepCopy();
  }
}
