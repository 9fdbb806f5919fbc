package dev.marketdata.job.testing;

import dev.marketdata.job.schema.SchemaMigrator;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What the ITCases that run the whole job share, for one test class: a Flink MiniCluster (one TaskManager, two
 * slots, the parallelism the tests run at) whose metrics go to an in-memory reporter, and a fresh database with the
 * project's schema. {@code StreamExecutionEnvironment.getExecutionEnvironment} runs on the cluster inside each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PipelineTestCluster CLUSTER = PipelineTestCluster.onSharedServer();
 * }</pre>
 */
public final class PipelineTestCluster
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    private final InMemoryReporter metrics = InMemoryReporter.createWithRetainedMetrics();
    private final MiniClusterExtension flink = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(metrics.addToConfiguration(new Configuration()))
            .build());
    private final PostgresTestDatabase database;

    private PipelineTestCluster(PostgresTestDatabase database) {
        this.database = database;
    }

    /** A database on the server the tests share (see {@link PostgresTestDatabase}). */
    public static PipelineTestCluster onSharedServer() {
        return new PipelineTestCluster(new PostgresTestDatabase());
    }

    /** A database on a server of the class's own, in a fresh {@code dataDir}, which tests may stop and start. */
    public static PipelineTestCluster onPrivateServer(Path dataDir) {
        return new PipelineTestCluster(PostgresTestDatabase.onPrivateServer(dataDir));
    }

    public PostgresTestDatabase database() {
        return database;
    }

    public InMemoryReporter metrics() {
        return metrics;
    }

    /** The job's metrics whose identifier ends with {@code suffix} (a regular expression), by identifier. */
    public Map<String, Metric> metrics(JobID job, String suffix) {
        return metrics.findMetrics(job, ".*" + suffix);
    }

    /** Drops every table and applies the migrations again: a test that wants the schema as a new job finds it. */
    public void freshSchema() throws Exception {
        database.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        SchemaMigrator.migrate(database.jdbc());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database.beforeAll(context);
        SchemaMigrator.migrate(database.jdbc());
        flink.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        flink.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        flink.afterEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            flink.afterAll(context);
        } finally {
            database.afterAll(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return flink.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return flink.resolveParameter(parameter, context);
    }
}
