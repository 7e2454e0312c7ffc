package com.rainforestqa.integrations.distribution;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/**
 * The bundled plugins are written as a third party writes one: against the plugin API alone. At run time the host's
 * classes are not visible to a plugin's class loader, so an import of one would fail only at delivery. (An IT because
 * this module runs its tests with failsafe; the bundled plugins are on its class path to be packed.)
 */
class PluginArchitectureIT {
    private static final JavaClasses PLUGINS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.rainforestqa.integrations.plugin");

    @Test
    void bundledPluginsUseNothingOfTheHost() {
        noClasses().should().dependOnClassesThat().resideInAPackage("com.rainforestqa.integrations.host..")
                .check(PLUGINS);
    }
}
