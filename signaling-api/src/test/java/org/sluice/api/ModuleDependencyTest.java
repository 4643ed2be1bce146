package org.sluice.api;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the module graph pointing one way: {@code signaling-api → sfu-core → bandwidth → rtp}.
 * Maven already refuses a missing dependency at compile time; this test also refuses a module
 * reaching "up" and keeps {@code rtp} and {@code bandwidth} free of I/O frameworks.
 */
class ModuleDependencyTest {

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // a module's test-jar (e.g. rtp's NettyLeakGuard) is test code too
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.sluice");
    }

    @Test
    void everyModuleIsOnTheClasspath() {
        assertThat(production.containPackage("org.sluice.rtp")).isTrue();
        assertThat(production.containPackage("org.sluice.api")).isTrue();
    }

    @Test
    void modulesDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("signaling-api").definedBy("org.sluice.api..")
                .layer("sfu-core").definedBy("org.sluice.core..")
                .layer("bandwidth").definedBy("org.sluice.bandwidth..")
                .layer("rtp").definedBy("org.sluice.rtp..")
                .whereLayer("signaling-api").mayNotBeAccessedByAnyLayer()
                .whereLayer("sfu-core").mayOnlyBeAccessedByLayers("signaling-api")
                .whereLayer("bandwidth").mayOnlyBeAccessedByLayers("sfu-core", "signaling-api")
                .check(production);
    }

    @Test
    void rtpUsesNothingButTheJdkAndNettyBuffers() {
        classes().that().resideInAPackage("org.sluice.rtp..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.crypto..", "io.netty.buffer..", "io.netty.util..",
                        "org.sluice.rtp..")
                .check(production);
    }

    @Test
    void bandwidthIsPureLogicOverRtp() {
        classes().that().resideInAPackage("org.sluice.bandwidth..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.netty.buffer..", "io.netty.util..",
                        "org.sluice.rtp..", "org.sluice.bandwidth..")
                .check(production);
    }

    @Test
    void engineAndServerPackagesHaveNoCycles() {
        slices().matching("org.sluice.(core|api).(*)..").should().beFreeOfCycles().check(production);
    }
}
