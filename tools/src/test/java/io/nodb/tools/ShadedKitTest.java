package io.nodb.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The CLI shades {@code nodb-kit} without Testcontainers and Awaitility (tools/pom.xml excludes
 * them), so no kit class the CLI reaches may use them: such a class fails to link in the shipped
 * jar ({@code NoClassDefFoundError}), while the CLI's ITs, which run on the test class path, would
 * not notice. Follows the CLI's dependencies into the kit, class by class.
 */
class ShadedKitTest {

  private static final List<String> NOT_SHIPPED =
      List.of("org.awaitility", "org.hamcrest", "org.testcontainers", "org.junit", "org.assertj");

  @Test
  void kitClassesTheCliReachesUseNothingTheJarLeavesOut() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.nodb.tools", "io.nodb.testing");
    Deque<JavaClass> todo = new ArrayDeque<>();
    Set<String> seen = new TreeSet<>();
    classes.stream().filter(c -> c.getPackageName().startsWith("io.nodb.tools")).forEach(todo::add);
    Set<String> offending = new TreeSet<>();
    Set<String> reachedKit = new TreeSet<>();
    while (!todo.isEmpty()) {
      JavaClass c = todo.pop();
      if (!seen.add(c.getName())) {
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass();
        String name = target.getName();
        if (NOT_SHIPPED.stream().anyMatch(p -> name.startsWith(p + "."))) {
          offending.add(c.getName() + " -> " + name);
        } else if (name.startsWith("io.nodb.testing.")) {
          reachedKit.add(target.getName());
          todo.add(target);
        }
      }
    }
    assertThat(reachedKit)
        .as("the scenarios use the kit")
        .contains(
            "io.nodb.testing.check.OverlapChecker",
            "io.nodb.testing.sim.LockContentionSimulator",
            "io.nodb.testing.workers.WorkerJvm");
    assertThat(offending)
        .as("kit classes the CLI reaches that need a library nodb.jar lacks")
        .isEmpty();
  }
}
