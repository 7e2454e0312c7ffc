package com.rainforestqa.integrations.testkit.harness;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/**
 * The test kit reaches the host only through {@code host.embed}: plugin authors compile against the kit, and the
 * host's other packages must stay free to change under them.
 */
class ArchitectureTest {
    private static final JavaClasses KIT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.rainforestqa.integrations.testkit");

    @Test
    void theKitUsesOnlyTheHostsEmbedPackage() {
        assertThat(KIT.containPackage("com.rainforestqa.integrations.testkit.harness")).isTrue();
        noClasses().should().dependOnClassesThat(resideInAPackage("com.rainforestqa.integrations.host..")
                        .and(not(resideInAPackage("com.rainforestqa.integrations.host.embed.."))))
                .check(KIT);
    }
}
