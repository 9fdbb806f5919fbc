package dev.marketdata.job.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.testing.PostgresTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaMigratorITCase {

    @RegisterExtension
    static final PostgresTestDatabase FRESH = new PostgresTestDatabase();

    @RegisterExtension
    static final PostgresTestDatabase CONCURRENT = new PostgresTestDatabase();

    @RegisterExtension
    static final PostgresTestDatabase LEGACY_FULL = new PostgresTestDatabase();

    @RegisterExtension
    static final PostgresTestDatabase LEGACY_PARTIAL = new PostgresTestDatabase();

    @RegisterExtension
    static final PostgresTestDatabase LEGACY_EDITED = new PostgresTestDatabase();

    @Test
    void appliesEveryFileOfTheSqlFolderOnceAndRefusesOneThatChanged() throws Exception {
        assertThat(SchemaMigrator.migrate(FRESH.jdbc())).containsExactlyElementsOf(sqlFolder());
        assertThat(SchemaMigrator.migrate(FRESH.jdbc())).isEmpty();
        assertThat(FRESH.rows("SELECT script FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
                .containsExactlyElementsOf(sqlFolder());
        assertThat(primaryKey(FRESH, "bars")).isEqualTo("symbol,timeframe,ts");
        assertThat(primaryKey(FRESH, "option_quotes")).isEqualTo("contract,ts");
        assertThat(primaryKey(FRESH, "fundamentals")).isEqualTo("symbol,fiscal_period,period_end");
        assertThat(primaryKey(FRESH, "news")).isEqualTo("provider,id");

        FRESH.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE script = 'V1__create_bars.sql'");
        assertThatThrownBy(() -> SchemaMigrator.migrate(FRESH.jdbc()))
                .hasMessageContaining("Migration checksum mismatch for migration version 1");
        // bin/migrate repair: the history takes the file's checksum again.
        SchemaMigrator.flyway(FRESH.jdbc()).repair();
        assertThat(SchemaMigrator.migrate(FRESH.jdbc())).isEmpty();
    }

    /** Flyway's advisory lock: four jobs starting together on an empty database apply each migration once. */
    @Test
    void concurrentStartsApplyEachMigrationOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                starts.add(pool.submit((Callable<List<String>>) () -> SchemaMigrator.migrate(CONCURRENT.jdbc())));
            }
            List<String> applied = new ArrayList<>();
            for (Future<List<String>> start : starts) {
                applied.addAll(start.get());
            }
            assertThat(applied).containsExactlyInAnyOrderElementsOf(sqlFolder());
        } finally {
            pool.shutdownNow();
        }
        assertThat(CONCURRENT.rows("SELECT count(*) FROM flyway_schema_history"))
                .containsExactly(Integer.toString(sqlFolder().size()));
    }

    /**
     * A database that the earlier, hand-written migrator set up (V1..V7, with data): Flyway baselines at V7, runs
     * none of V1..V7 again, keeps the data, and applies only the files added since.
     */
    @Test
    void takesOverADatabaseTheEarlierMigratorSetUp() throws Exception {
        try (Connection c = LEGACY_FULL.connect()) {
            assertThat(LegacySchemaMigrator.migrate(c, LegacySchemaMigrator.MIGRATIONS))
                    .containsExactlyElementsOf(LegacySchemaMigrator.MIGRATIONS);
        }
        LEGACY_FULL.execute("INSERT INTO bars VALUES ('AAPL', '1m', '2026-11-02T14:30:00Z', 1, 2, 0.5, 1.5, 100, "
                + "null, null, 'synthetic')");

        assertThat(SchemaMigrator.migrate(LEGACY_FULL.jdbc())).containsExactlyElementsOf(newerThan(7));
        // Nothing at or below the baseline ran: the history holds the baseline and the newer files only.
        assertThat(LEGACY_FULL.rows("SELECT count(*) FROM flyway_schema_history WHERE version::int <= 7"))
                .containsExactly("1");

        List<MigrationInfo> info =
                Arrays.asList(SchemaMigrator.flyway(LEGACY_FULL.jdbc()).info().all());
        assertThat(info)
                .filteredOn(m -> m.getVersion().getMajor().intValue() <= 7)
                .extracting(m -> m.getState())
                .containsOnly(MigrationState.BELOW_BASELINE, MigrationState.BASELINE_IGNORED, MigrationState.BASELINE);
        assertThat(LEGACY_FULL.rows("SELECT version || ' ' || description || ' ' || type FROM flyway_schema_history "
                        + "ORDER BY installed_rank LIMIT 1"))
                .containsExactly("7 " + SchemaMigrator.TAKEOVER_DESCRIPTION + " BASELINE");
        assertThat(LEGACY_FULL.rows("SELECT symbol || ' ' || close FROM bars")).containsExactly("AAPL 1.5");
        assertThat(SchemaMigrator.migrate(LEGACY_FULL.jdbc())).isEmpty();
        SchemaMigrator.flyway(LEGACY_FULL.jdbc()).validate();
    }

    /** A database the earlier migrator brought only to V5 (an older release): Flyway applies V6 onwards. */
    @Test
    void takesOverAnOlderReleasesDatabaseAndAppliesTheRest() throws Exception {
        try (Connection c = LEGACY_PARTIAL.connect()) {
            LegacySchemaMigrator.migrate(c, LegacySchemaMigrator.MIGRATIONS.subList(0, 5));
        }
        assertThat(SchemaMigrator.migrate(LEGACY_PARTIAL.jdbc())).containsExactlyElementsOf(newerThan(5));
        assertThat(LEGACY_PARTIAL.rows("SELECT to_regclass('dead_letters')::text"))
                .containsExactly("dead_letters");
    }

    @Test
    void refusesToTakeOverWhenAnAppliedFileChanged() throws Exception {
        try (Connection c = LEGACY_EDITED.connect()) {
            LegacySchemaMigrator.migrate(c, LegacySchemaMigrator.MIGRATIONS);
        }
        LEGACY_EDITED.execute(
                "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 'V3__create_option_quotes.sql'");
        assertThatThrownBy(() -> SchemaMigrator.migrate(LEGACY_EDITED.jdbc()))
                .hasMessageContaining("V3__create_option_quotes.sql was changed after it was applied");
        assertThat(LEGACY_EDITED.rows("SELECT to_regclass('flyway_schema_history')::text"))
                .containsExactly("null");
    }

    private static String primaryKey(PostgresTestDatabase db, String table) throws Exception {
        return db.rows("SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_index i "
                        + "JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true "
                        + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                        + "WHERE i.indrelid = '" + table + "'::regclass AND i.indisprimary")
                .get(0);
    }

    /** The migration files in the repository's sql/ folder, in version order. */
    static List<String> sqlFolder() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("..", "sql"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.+\\.sql"))
                    .sorted(Comparator.comparingInt(SchemaMigratorITCase::version))
                    .toList();
        }
    }

    private static List<String> newerThan(int version) throws Exception {
        return sqlFolder().stream().filter(n -> version(n) > version).toList();
    }

    private static int version(String file) {
        return Integer.parseInt(file.substring(1, file.indexOf("__")));
    }
}
