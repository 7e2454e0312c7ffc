package com.rainforestqa.integrations.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/** The plugin API is what third-party jars compile against: it may need the JDK and the Jakarta JSON APIs, no more. */
class ArchitectureTest {
    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.rainforestqa.integrations.api");

    @Test
    void apiDependsOnTheJdkAndJakartaJsonOnly() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.annotation..", "jakarta.json..",
                        "com.rainforestqa.integrations.api..")
                .check(API);
    }
}
