package io.nodb.store;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the store needs to know about one controller class: its state class, its type name (written
 * in every file's header), its file name inside the run directory, how to construct it, and its
 * initial state. Each controller declares one as a {@code public static final TYPE} field:
 *
 * <pre>{@code
 * public static final ControllerType<Climate, ClimateState> TYPE =
 *     ControllerType.register(Climate.class, ClimateState.class, "climate", "climate.nodb",
 *         Climate::new, ClimateState::new);
 * }</pre>
 *
 * <p>Registration happens when the controller class is initialized; {@link #of(Class)} initializes
 * the class first, so looking a type up never depends on load order. Immutable and thread-safe.
 *
 * @param <C> the controller class
 * @param <S> its state class
 */
public final class ControllerType<C extends NoDbBase<S>, S> {

  private static final Map<Class<?>, ControllerType<?, ?>> TYPES = new ConcurrentHashMap<>();
  private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

  private final Class<C> controllerClass;
  private final Class<S> stateClass;
  private final String typeName;
  private final String fileName;
  private final Supplier<C> factory;
  private final Supplier<S> initialState;
  private final @Nullable LegacyMapping<S> legacy;

  private ControllerType(
      Class<C> controllerClass,
      Class<S> stateClass,
      String typeName,
      String fileName,
      Supplier<C> factory,
      Supplier<S> initialState,
      @Nullable LegacyMapping<S> legacy) {
    this.controllerClass = controllerClass;
    this.stateClass = stateClass;
    this.typeName = typeName;
    this.fileName = fileName;
    this.factory = factory;
    this.initialState = initialState;
    this.legacy = legacy;
  }

  /**
   * Registers a controller class.
   *
   * @param controllerClass the controller class
   * @param stateClass its state class (a Jackson-serializable POJO with a no-argument constructor)
   * @param typeName the type written in file headers, e.g. {@code climate}
   * @param fileName the file inside the run directory, e.g. {@code climate.nodb}
   * @param factory creates an unbound instance (the constructor may be private)
   * @param initialState the state of a newly created controller
   * @param <C> the controller class
   * @param <S> its state class
   * @return the type
   * @throws IllegalArgumentException if the type name or file name is invalid, or the class is
   *     registered twice with different settings
   */
  public static <C extends NoDbBase<S>, S> ControllerType<C, S> register(
      Class<C> controllerClass,
      Class<S> stateClass,
      String typeName,
      String fileName,
      Supplier<C> factory,
      Supplier<S> initialState) {
    return register(controllerClass, stateClass, typeName, fileName, factory, initialState, null);
  }

  /**
   * Registers a controller class that reads the Python NoDb's legacy files (format 0).
   *
   * @param controllerClass the controller class
   * @param stateClass its state class
   * @param typeName the type written in file headers
   * @param fileName the file inside the run directory
   * @param factory creates an unbound instance
   * @param initialState the state of a newly created controller
   * @param legacy how a format-0 file of this controller maps into the state, or null for none
   * @param <C> the controller class
   * @param <S> its state class
   * @return the type
   * @throws IllegalArgumentException as {@link #register(Class, Class, String, String, Supplier,
   *     Supplier)}
   */
  public static <C extends NoDbBase<S>, S> ControllerType<C, S> register(
      Class<C> controllerClass,
      Class<S> stateClass,
      String typeName,
      String fileName,
      Supplier<C> factory,
      Supplier<S> initialState,
      LegacyMapping<S> legacy) {
    if (!TYPE_NAME.matcher(typeName).matches()) {
      throw new IllegalArgumentException("invalid controller type name '" + typeName + "'");
    }
    io.nodb.lock.LockKey.of("validation", fileName);
    if (!fileName.endsWith(".nodb")) {
      throw new IllegalArgumentException("controller file must end in .nodb: '" + fileName + "'");
    }
    ControllerType<C, S> type =
        new ControllerType<>(
            Objects.requireNonNull(controllerClass),
            Objects.requireNonNull(stateClass),
            typeName,
            fileName,
            Objects.requireNonNull(factory),
            Objects.requireNonNull(initialState),
            legacy);
    ControllerType<?, ?> previous = TYPES.putIfAbsent(controllerClass, type);
    if (previous != null && !previous.fileName.equals(fileName)) {
      throw new IllegalArgumentException(controllerClass.getName() + " is already registered");
    }
    return type;
  }

  /**
   * Returns the registered type of a controller class, initializing the class if needed.
   *
   * @param controllerClass the controller class
   * @return its type
   * @throws IllegalArgumentException if the class registers no type
   */
  public static ControllerType<?, ?> of(Class<?> controllerClass) {
    ControllerType<?, ?> type = TYPES.get(controllerClass);
    if (type == null) {
      try {
        Class.forName(controllerClass.getName(), true, controllerClass.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("cannot initialize " + controllerClass.getName(), e);
      }
      type = TYPES.get(controllerClass);
    }
    if (type == null) {
      throw new IllegalArgumentException(
          controllerClass.getName()
              + " declares no ControllerType (call ControllerType.register in a static field)");
    }
    return type;
  }

  /** Returns the controller class. */
  public Class<C> controllerClass() {
    return controllerClass;
  }

  /** Returns the state class. */
  public Class<S> stateClass() {
    return stateClass;
  }

  /** Returns the type name written in file headers. */
  public String typeName() {
    return typeName;
  }

  /** Returns the file name inside the run directory. */
  public String fileName() {
    return fileName;
  }

  /** Returns how a legacy (format 0) file maps into the state, if this controller reads them. */
  public java.util.Optional<LegacyMapping<S>> legacyMapping() {
    return java.util.Optional.ofNullable(legacy);
  }

  /**
   * Says what the store would do with a legacy (format 0) file of this controller, without writing
   * anything: the same decoder, class check and mapping the store runs on load.
   *
   * @param file the file, for messages
   * @param bytes its content
   * @return what would be mapped and kept
   * @throws NoDbCorruptFileException if the store would refuse the file ({@link
   *     NoDbLegacyFormatException} for a decoding, class or mapping problem)
   * @throws IllegalArgumentException if the file is not format 0
   */
  public LegacyReport planLegacy(java.nio.file.Path file, byte[] bytes) {
    io.nodb.store.internal.EnvelopeCodec codec =
        new io.nodb.store.internal.EnvelopeCodec(new com.fasterxml.jackson.databind.ObjectMapper());
    io.nodb.store.internal.Envelope env = codec.read(file, bytes);
    if (env.legacy() == null) {
      throw new IllegalArgumentException(file + " is format " + env.header().format() + ", not 0");
    }
    return LegacyMigration.map(this, file, env.legacy(), codec.mapper()).report();
  }

  /**
   * Checks a file the way the store does before this controller loads it, writing nothing: the
   * strict reader, then, for a format-1 file, that it holds this controller's state (its type, not
   * a tree's file, not migrated from a Python class this controller does not read).
   *
   * @param file the file, for messages
   * @param bytes its content
   * @throws NoDbWrongTypeException if it holds another controller's state
   * @throws NoDbCorruptFileException if the store would refuse it for another reason
   */
  public void checkFile(java.nio.file.Path file, byte[] bytes) {
    io.nodb.store.internal.EnvelopeCodec codec =
        new io.nodb.store.internal.EnvelopeCodec(new com.fasterxml.jackson.databind.ObjectMapper());
    TypeCheck.require(this, file, codec.read(file, bytes).header());
  }

  /**
   * Returns the registered type whose file this is, if any class registered so far owns it.
   *
   * @param fileName the file's path inside the run
   * @return the type, or empty
   */
  static java.util.Optional<ControllerType<?, ?>> owning(String fileName) {
    return TYPES.values().stream().filter(t -> t.fileName.equals(fileName)).findFirst();
  }

  /**
   * The type of the generic tree controller of one file: not registered (a tree is no class's
   * type), its type name {@link NoDbTree#typeNameOf} of the file name, every field mapped.
   */
  static ControllerType<NoDbTree, com.fasterxml.jackson.databind.node.ObjectNode> tree(
      String fileName) {
    return new ControllerType<>(
        NoDbTree.class,
        com.fasterxml.jackson.databind.node.ObjectNode.class,
        NoDbTree.typeNameOf(fileName),
        fileName,
        NoDbTree::new,
        () -> com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
        NoDbTree.MAPPING);
  }

  /** The legacy mapping, or null. */
  @Nullable LegacyMapping<S> legacy() {
    return legacy;
  }

  /**
   * Who writes this type's files, recorded in their header (see {@link TypeCheck}): the
   * controller's Java class name, or {@value TypeCheck#TREE} for {@link NoDbTree}.
   */
  String writer() {
    return controllerClass == NoDbTree.class ? TypeCheck.TREE : controllerClass.getName();
  }

  C newController() {
    return factory.get();
  }

  S newState() {
    return initialState.get();
  }

  @Override
  public String toString() {
    return typeName + " (" + fileName + ")";
  }
}
