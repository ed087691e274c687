package io.nodb.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the library, checked on the compiled main classes of every library module
 * (nodb-lock, nodb-lock-redis, nodb-store, nodb-recipes, nodb-controllers, nodb-shedlock and this
 * CLI; not the test kit, the examples or the benchmarks) and on their module descriptors. Lives in
 * the CLI's tests because the CLI is the top of the module graph.
 *
 * <p>Most rules are strict. One is a <em>ratchet</em> for the structure issue: it lists what is
 * left today and fails both when something new appears and when a listed item is gone (then shrink
 * the list), so the debt can only go down.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.nodb")
            .that(
                com.tngtech.archunit.base.DescribedPredicate.describe(
                    "library classes", ArchitectureTest::isLibrary));
  }

  private static boolean isLibrary(JavaClass c) {
    String p = c.getPackageName();
    return !(p.startsWith("io.nodb.testing")
        || p.startsWith("io.nodb.testpolicy")
        || p.startsWith("io.nodb.bench")
        || p.startsWith("io.nodb.examples"));
  }

  @Test
  void theLibraryWasImported() {
    Set<String> packages =
        classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
    assertThat(packages)
        .contains(
            "io.nodb.lock",
            "io.nodb.lock.internal.redis",
            "io.nodb.store",
            "io.nodb.recipes",
            "io.nodb.controllers",
            "io.nodb.shedlock",
            "io.nodb.tools");
  }

  @Test
  void onlyTheRedisSeamImportsJedis() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.nodb.lock.internal.redis")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("redis.clients..")
        .because("Jedis lives behind one seam, io.nodb.lock.internal.redis")
        .check(classes);
  }

  @Test
  void onlyNodbLockRedisSeesTheRedisPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.nodb.lock.internal.redis")
        .and()
        .resideOutsideOfPackage("io.nodb.tools..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.nodb.lock.internal.redis")
        .because(
            "nodb-lock, nodb-store and nodb-recipes reach Redis through the RedisSupport service"
                + " (io.nodb.lock.internal), never through nodb-lock-redis's classes")
        .check(classes);
  }

  /** The library modules, by module name, with the nodb modules each may require. */
  private static final Map<String, Set<String>> MODULE_EDGES =
      Map.of(
          "io.nodb.lock", Set.of(),
          "io.nodb.lock.redis", Set.of("io.nodb.lock"),
          "io.nodb.store", Set.of("io.nodb.lock"),
          "io.nodb.recipes", Set.of("io.nodb.lock"),
          "io.nodb.core",
              Set.of("io.nodb.lock", "io.nodb.lock.redis", "io.nodb.store", "io.nodb.recipes"),
          "io.nodb.controllers", Set.of("io.nodb.store"),
          "io.nodb.shedlock", Set.of("io.nodb.lock"));

  /**
   * Reads the descriptor of every nodb module on the test class path (each jar's or classes
   * directory's {@code module-info.class}, the code-free aggregate's included).
   */
  private static Map<String, ModuleDescriptor> libraryModules() throws IOException {
    Map<String, ModuleDescriptor> out = new TreeMap<>();
    Enumeration<URL> found =
        ArchitectureTest.class.getClassLoader().getResources("module-info.class");
    while (found.hasMoreElements()) {
      try (InputStream in = found.nextElement().openStream()) {
        ModuleDescriptor d = ModuleDescriptor.read(in);
        if (d.name().startsWith("io.nodb")) {
          out.put(d.name(), d);
        }
      }
    }
    return out;
  }

  @Test
  void everyLibraryModuleHasADescriptorAndRequiresOnlyTheModulesBelowIt() throws IOException {
    Map<String, ModuleDescriptor> modules = libraryModules();
    assertThat(modules.keySet()).containsExactlyInAnyOrderElementsOf(MODULE_EDGES.keySet());
    for (ModuleDescriptor m : modules.values()) {
      assertThat(m.isAutomatic()).as(m.name() + " has a module-info").isFalse();
      Set<String> nodb =
          m.requires().stream()
              .map(ModuleDescriptor.Requires::name)
              .filter(n -> n.startsWith("io.nodb"))
              .collect(Collectors.toSet());
      assertThat(nodb)
          .as(
              "nodb modules required by "
                  + m.name()
                  + " (tools -> controllers -> store -> lock"
                  + " <- lock-redis; recipes -> lock)")
          .isEqualTo(MODULE_EDGES.get(m.name()));
    }
  }

  @Test
  void onlyNodbLockRedisRequiresJedis() throws IOException {
    for (ModuleDescriptor m : libraryModules().values()) {
      boolean jedis = m.requires().stream().anyMatch(r -> r.name().startsWith("redis.clients"));
      assertThat(jedis)
          .as(m.name() + " requires Jedis")
          .isEqualTo(m.name().equals("io.nodb.lock.redis"));
    }
  }

  @Test
  void noModuleExportsAnInternalPackageToEveryone() throws IOException {
    for (ModuleDescriptor m : libraryModules().values()) {
      for (ModuleDescriptor.Exports e : m.exports()) {
        if (e.source().contains(".internal")) {
          assertThat(e.isQualified())
              .as(m.name() + " exports " + e.source() + " only to named nodb modules")
              .isTrue();
        }
      }
    }
  }

  /**
   * Every package a library module exports to everyone is {@code @NullMarked} (its {@code
   * package-info}), and the module requires JSpecify transitively, so a user's checker reads the
   * API's {@code @Nullable} as part of its types.
   */
  @Test
  void everyExportedApiPackageIsNullMarked() throws IOException {
    Set<String> api = new TreeSet<>();
    for (ModuleDescriptor m : libraryModules().values()) {
      List<String> exported =
          m.exports().stream()
              .filter(e -> !e.isQualified())
              .map(ModuleDescriptor.Exports::source)
              .toList();
      if (exported.isEmpty()) {
        continue;
      }
      assertThat(
              m.requires().stream()
                  .anyMatch(
                      r ->
                          r.name().equals("org.jspecify")
                              && r.modifiers()
                                  .contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)
                              && !r.modifiers()
                                  .contains(ModuleDescriptor.Requires.Modifier.STATIC)))
          .as(m.name() + " requires transitive org.jspecify (its API carries the annotations)")
          .isTrue();
      for (String p : exported) {
        api.add(p);
        Class<?> info;
        try {
          info = Class.forName(p + ".package-info", false, ArchitectureTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new AssertionError(p + " (exported by " + m.name() + ") has no package-info", e);
        }
        assertThat(info.isAnnotationPresent(NullMarked.class))
            .as(p + "'s package-info is @NullMarked")
            .isTrue();
      }
    }
    assertThat(api)
        .containsExactlyInAnyOrder(
            "io.nodb",
            "io.nodb.lock",
            "io.nodb.store",
            "io.nodb.recipes",
            "io.nodb.controllers",
            "io.nodb.shedlock");
  }

  /**
   * {@code @Nullable} is a type-use annotation kept in the class files, where a user's checker (and
   * Kotlin) reads it: a sample of each position the API uses (record component, return type,
   * parameter, public field, type-variable bound).
   */
  @Test
  void nullableMarksAreOnTheTypesOfTheCompiledApi() throws Exception {
    assertThat(
            io.nodb.lock.LockDomain.class
                .getRecordComponents()[1]
                .getAnnotatedType()
                .isAnnotationPresent(Nullable.class))
        .as("LockDomain.deployment")
        .isTrue();
    java.lang.reflect.Method redact = io.nodb.lock.RedisUrl.class.getMethod("redact", String.class);
    assertThat(redact.getAnnotatedReturnType().isAnnotationPresent(Nullable.class))
        .as("RedisUrl.redact's result")
        .isTrue();
    assertThat(redact.getAnnotatedParameterTypes()[0].isAnnotationPresent(Nullable.class))
        .as("RedisUrl.redact's parameter")
        .isTrue();
    assertThat(
            io.nodb.controllers.ClimateState.class
                .getField("startYear")
                .getAnnotatedType()
                .isAnnotationPresent(Nullable.class))
        .as("ClimateState.startYear")
        .isTrue();
    assertThat(
            io.nodb.lock.LockKey.class
                .getMethod("runId")
                .getAnnotatedReturnType()
                .isAnnotationPresent(Nullable.class))
        .as("LockKey.runId is never null")
        .isFalse();
    java.lang.reflect.TypeVariable<?> r =
        io.nodb.store.NoDbBase.class.getMethod("lockedGet", java.util.function.Function.class)
            .getTypeParameters()[0];
    assertThat(r.getAnnotatedBounds()[0].isAnnotationPresent(Nullable.class))
        .as("lockedGet's <R extends @Nullable Object>")
        .isTrue();
  }

  @Test
  void theClassesOfNodbLockAndNodbStoreNeverReferenceJedis() throws Exception {
    for (Class<?> c :
        List.of(
            io.nodb.lock.LockClient.class,
            io.nodb.store.NoDbStore.class,
            io.nodb.recipes.SingleFlight.class)) {
      JavaClasses module =
          new ClassFileImporter()
              .importLocations(
                  Set.of(
                      com.tngtech.archunit.core.importer.Location.of(
                          c.getProtectionDomain().getCodeSource().getLocation().toURI())));
      assertThat(module.size()).as("classes of " + c.getName() + "'s module").isGreaterThan(10);
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("redis.clients..", "io.nodb.lock.internal.redis..")
          .because("only nodb-lock-redis may use Jedis")
          .check(module);
    }
  }

  @Test
  void controllersAndShedLockUseThePublicApiOnly() {
    noClasses()
        .that()
        .resideInAnyPackage("io.nodb.controllers..", "io.nodb.shedlock..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..internal..")
        .check(classes);
  }

  @Test
  void theCliUsesThePublicApiOnly() {
    noClasses()
        .that()
        .resideInAnyPackage("io.nodb.tools..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..internal..")
        .because(
            "the CLI is built on the public API (NoDbFiles, RunDomain, RedisServerReport, ...),"
                + " as any operator tool could be")
        .check(classes);
  }

  /**
   * Package cycles left today, each a strongly connected set of packages: the public builders
   * instantiate internal implementations, which implement the public interfaces. The Redis package
   * left the lock cycle with the module split: nothing of nodb-lock names it any more.
   */
  private static final List<Set<String>> PACKAGE_CYCLES_LEFT =
      List.of(
          Set.of("io.nodb.lock", "io.nodb.lock.internal", "io.nodb.lock.internal.local"),
          Set.of("io.nodb.store", "io.nodb.store.internal"),
          Set.of("io.nodb.recipes", "io.nodb.recipes.internal"));

  @Test
  void noPackageCyclesBeyondTheKnownOnes() {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (JavaClass c : classes) {
      String from = c.getPackageName();
      graph.computeIfAbsent(from, k -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = d.getTargetClass().getPackageName();
        if (!to.equals(from) && to.startsWith("io.nodb") && isLibrary(d.getTargetClass())) {
          graph.get(from).add(to);
        }
      }
    }
    Set<Set<String>> cycles =
        stronglyConnected(graph).stream()
            .filter(s -> s.size() > 1)
            .map(TreeSet::new)
            .collect(Collectors.toSet());
    assertThat(cycles)
        .as("package cycles (shrink the list when one is gone)")
        .containsExactlyInAnyOrderElementsOf(
            PACKAGE_CYCLES_LEFT.stream().map(TreeSet::new).collect(Collectors.toList()));
  }

  /** Tarjan's algorithm; returns every strongly connected component of the graph. */
  private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<Set<String>> out = new java.util.ArrayList<>();
    int[] counter = {0};
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private static void connect(
      String v,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> out,
      int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]);
    counter[0]++;
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      out.add(component);
    }
  }
}
