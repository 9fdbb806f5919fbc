package dev.marketdata.job;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the job (docs/architecture.md#packages), checked on its compiled classes: rules that
 * keep the code readable fail the build when a change breaks them, instead of drifting.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.marketdata.job");

    private static final JavaClasses TESTS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
            .importPackages("dev.marketdata.job");

    /** JUnit 5 and jqwik annotations that make a method a test. */
    private static final List<String> TEST_ANNOTATIONS = List.of(
            "org.junit.jupiter.api.Test",
            "org.junit.jupiter.params.ParameterizedTest",
            "org.junit.jupiter.api.RepeatedTest",
            "org.junit.jupiter.api.TestFactory",
            "net.jqwik.api.Property",
            "net.jqwik.api.Example");

    private static final DescribedPredicate<JavaClass> HOLD_TESTS =
            DescribedPredicate.describe("hold test methods", c -> c.getMethods().stream()
                    .anyMatch(m -> TEST_ANNOTATIONS.stream().anyMatch(m::isAnnotatedWith)));

    /** Every package of the job, one by one, and every stage with its sub-packages: no cycles. */
    @Test
    void noPackageCycles() {
        slices().matching("dev.marketdata.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noCyclesBetweenStages() {
        slices().matching("dev.marketdata.job.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /**
     * Surefire runs {@code *Test}, Failsafe {@code *ITCase}: a test class named otherwise would never run. Nested
     * classes run with their outer class.
     */
    @Test
    void testClassesAreNamedTestOrITCase() {
        classes()
                .that(HOLD_TESTS)
                .and()
                .areTopLevelClasses()
                .should()
                .haveSimpleNameEndingWith("Test")
                .orShould()
                .haveSimpleNameEndingWith("ITCase")
                .check(TESTS);
    }

    /** The benchmark uses the job; never the other way round (the job jar does not ship it). */
    @Test
    void nothingInTheJobDependsOnTheBenchmark() {
        noClasses()
                .that()
                .resideInAPackage("dev.marketdata.job..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.marketdata.bench..")
                .check(new ClassFileImporter().importPackages("dev.marketdata.job"));
    }

    /**
     * The sink's implementation classes live in {@code sink.internal}, used only within the sink: the rest of the job reaches the sink through its public packages ({@code sink}, {@code sink.config},
     * {@code sink.table}, {@code sink.twophase}).
     */
    @Test
    void internalPackagesAreUsedOnlyByTheirOwner() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.marketdata.job.sink..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.marketdata.job.sink.internal..")
                .check(MAIN);
    }
}
