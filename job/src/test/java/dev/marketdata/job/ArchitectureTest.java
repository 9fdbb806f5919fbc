package dev.marketdata.job;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package structure of the job (see docs/architecture.md#packages), checked on its compiled classes. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.marketdata.job");

    @Test
    void noPackageCycles() {
        slices().matching("dev.marketdata.(**)").should().beFreeOfCycles()
                // TODO(issue 13): provider reads its options from cli.MarketDataOptions while cli.JobSettings
                // builds the provider settings through provider.ProviderInput; untangled once issues 9/10 land.
                .ignoreDependency(resideInAPackage("dev.marketdata.job.provider.."), resideInAPackage("dev.marketdata.job.cli.."))
                .check(MAIN);
    }

    @Test
    void noCyclesBetweenStages() {
        slices().matching("dev.marketdata.job.(*)..").should().beFreeOfCycles()
                .ignoreDependency(resideInAPackage("dev.marketdata.job.provider.."), resideInAPackage("dev.marketdata.job.cli.."))
                .check(MAIN);
    }
}
