package dev.keelson.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules of the design, checked on the compiled classes. */
class ArchitectureTest {

  private static final JavaClasses KEELSON =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.keelson");

  @Test
  void theSharedModelUsesNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("dev.keelson.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.keelson.eventlog..",
            "dev.keelson.projection..",
            "dev.keelson.write..",
            "dev.keelson.history..",
            "dev.keelson.cli..",
            "dev.keelson.broker..",
            "org.apache.kafka..",
            "io.vertx..")
        .check(KEELSON);
  }

  @Test
  void kafkaClientTypesStayInTheEventLog() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.keelson.eventlog..", "dev.keelson.broker..", "dev.keelson.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "kafka..")
        .check(KEELSON);
  }

  @Test
  void vertxStaysInTheVerticlesAndEdges() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.keelson.api..",
            "dev.keelson.eventlog..",
            "dev.keelson.projection..",
            "dev.keelson.write..",
            "dev.keelson.history..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.vertx..")
        .check(KEELSON);
  }

  @Test
  void dockerJavaStaysBehindTheContainerRuntime() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.keelson.nodeagent.runtime.docker..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.github.dockerjava..")
        .check(KEELSON);
  }

  @Test
  void theEventLogKnowsNothingOfProjections() {
    noClasses()
        .that()
        .resideInAPackage("dev.keelson.eventlog..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.keelson.projection..",
            "dev.keelson.write..",
            "dev.keelson.history..",
            "dev.keelson.cli..")
        .check(KEELSON);
  }

  @Test
  void theProxyReachesTheClusterThroughTheApiOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.keelson.proxy..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.keelson.eventlog..",
            "dev.keelson.projection..",
            "dev.keelson.write..",
            "dev.keelson.apiserver..",
            "dev.keelson.nodeagent..",
            "org.apache.kafka..")
        .check(KEELSON);
  }
}
