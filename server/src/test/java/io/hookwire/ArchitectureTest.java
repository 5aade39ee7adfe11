package io.hookwire;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the house, in one place (docs/architecture.md draws it). From the bottom: {@code
 * core} (values and pure functions), {@code signing} and {@code security}, then {@code store}
 * (persistence), {@code delivery} (the pipeline), {@code service} (what an account can do), and the
 * two ways in, {@code api} and {@code ui}, which know the service and not each other. {@code
 * config}, {@code cli} and {@code bench} sit on top; {@code io.hookwire.Hookwire} wires it all.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hookwire");
  }

  @Test
  void coreDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("io.hookwire.core..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("io.hookwire.core..", "java..", "com.fasterxml.jackson..")
        .check(classes);
  }

  @Test
  void signingAndSecurityKnowOnlyTheCore() {
    noClasses()
        .that()
        .resideInAnyPackage("io.hookwire.signing..", "io.hookwire.security..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.hookwire.store..",
            "io.hookwire.delivery..",
            "io.hookwire.service..",
            "io.hookwire.api..",
            "io.hookwire.ui..",
            "io.hookwire.config..",
            "io.hookwire.cli..",
            "io.hookwire.bench..")
        .check(classes);
  }

  @Test
  void theStoreKnowsOnlyTheCore() {
    noClasses()
        .that()
        .resideInAPackage("io.hookwire.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.hookwire.delivery..",
            "io.hookwire.service..",
            "io.hookwire.api..",
            "io.hookwire.ui..",
            "io.hookwire.config..",
            "io.hookwire.cli..",
            "io.hookwire.bench..")
        .check(classes);
  }

  @Test
  void thePipelineKnowsNoWayIn() {
    noClasses()
        .that()
        .resideInAPackage("io.hookwire.delivery..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.hookwire.service..",
            "io.hookwire.api..",
            "io.hookwire.ui..",
            "io.hookwire.cli..",
            "io.hookwire.bench..")
        .check(classes);
  }

  @Test
  void theServiceKnowsNoWayIn() {
    noClasses()
        .that()
        .resideInAPackage("io.hookwire.service..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.hookwire.api..", "io.hookwire.ui..", "io.hookwire.cli..", "io.hookwire.bench..")
        .check(classes);
  }

  @Test
  void theApiAndTheAdminPagesDoNotKnowEachOther() {
    noClasses()
        .that()
        .resideInAPackage("io.hookwire.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.hookwire.ui..", "io.hookwire.cli..", "io.hookwire.bench..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.hookwire.ui..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.hookwire.api..", "io.hookwire.cli..", "io.hookwire.bench..")
        .check(classes);
  }

  @Test
  void onlyTheCommandLineStartsTheBenchmark() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.hookwire.bench..", "io.hookwire.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.hookwire.bench..")
        .check(classes);
  }

  @Test
  void packagesFormNoCycles() {
    slices().matching("io.hookwire.(*)..").should().beFreeOfCycles().check(classes);
  }
}
