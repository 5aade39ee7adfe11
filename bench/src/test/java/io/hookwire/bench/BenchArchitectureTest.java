package io.hookwire.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's place in the layering (docs/architecture.md), which the server's {@code
 * ArchitectureTest} checked while the benchmark was part of the server: it may use every package of
 * the server but the two ways in, {@code api} and {@code ui}, which it drives over HTTP as users
 * do, and the command line.
 */
class BenchArchitectureTest {
  @Test
  void theBenchmarkUsesNeitherTheApiNorTheAdminPagesNorTheCommandLine() {
    noClasses()
        .that()
        .resideInAPackage("io.hookwire.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.hookwire.api..", "io.hookwire.ui..", "io.hookwire.cli..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hookwire.bench"));
  }
}
