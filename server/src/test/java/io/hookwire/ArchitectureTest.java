package io.hookwire;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the house, in one place (docs/architecture.md draws it). From the bottom: {@code
 * core} (values and pure functions), {@code signing} and {@code security}, {@code store}
 * (persistence), {@code config}, {@code delivery} (the pipeline), {@code service} (what an account
 * can do), and the two ways in, {@code api} and {@code ui}, which know the service and not each
 * other; {@code cli} on top, and {@code io.hookwire.Hookwire}, which wires a node. The benchmark
 * ({@code io.hookwire.bench}) is a module of its own, above all of it, and not in the server's jar.
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
  void eachLayerIsUsedOnlyByThoseAboveIt() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("core")
        .definedBy("io.hookwire.core..")
        .layer("signing")
        .definedBy("io.hookwire.signing..")
        .layer("security")
        .definedBy("io.hookwire.security..")
        .layer("store")
        .definedBy("io.hookwire.store..")
        .layer("config")
        .definedBy("io.hookwire.config..")
        .layer("delivery")
        .definedBy("io.hookwire.delivery..")
        .layer("service")
        .definedBy("io.hookwire.service..")
        .layer("api")
        .definedBy("io.hookwire.api..")
        .layer("ui")
        .definedBy("io.hookwire.ui..")
        .layer("wiring")
        .definedBy("io.hookwire")
        .layer("cli")
        .definedBy("io.hookwire.cli..")
        .whereLayer("signing")
        .mayOnlyBeAccessedByLayers("delivery", "ui", "wiring")
        .whereLayer("security")
        .mayOnlyBeAccessedByLayers("config", "delivery", "service", "wiring", "cli")
        .whereLayer("store")
        .mayOnlyBeAccessedByLayers("delivery", "service", "wiring", "cli")
        .whereLayer("config")
        .mayOnlyBeAccessedByLayers("delivery", "wiring", "cli")
        .whereLayer("delivery")
        .mayOnlyBeAccessedByLayers("service", "wiring")
        .whereLayer("service")
        .mayOnlyBeAccessedByLayers("api", "ui", "wiring", "cli")
        .whereLayer("api")
        .mayOnlyBeAccessedByLayers("wiring")
        .whereLayer("ui")
        .mayOnlyBeAccessedByLayers("wiring")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .check(classes);
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
  void packagesBelowTheWiringFormNoCycles() {
    slices().matching("io.hookwire.(*)..").should().beFreeOfCycles().check(classes);
  }
}
