package com.rainforestqa.integrations.host;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/** The host's packages depend on each other one way: each can be read, and changed, without the ones above it. */
class ArchitectureTest {
    private static final JavaClasses HOST = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.rainforestqa.integrations.host");

    @Test
    void hostPackagesHaveNoCycles() {
        slices().matching("com.rainforestqa.integrations.host.(*)..").should().beFreeOfCycles().check(HOST);
    }

    /**
     * The embed package is a door for code outside the host (the plugin test harness): the host itself never goes
     * through it, so it stays a thin facade that can follow the internals as they change.
     */
    @Test
    void nothingInTheHostDependsOnTheEmbedDoor() {
        noClasses().that().resideOutsideOfPackage("com.rainforestqa.integrations.host.embed..")
                .should().dependOnClassesThat().resideInAPackage("com.rainforestqa.integrations.host.embed..")
                .check(HOST);
    }
}
