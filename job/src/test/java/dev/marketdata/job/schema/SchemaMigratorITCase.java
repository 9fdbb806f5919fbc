package dev.marketdata.job.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marketdata.job.testing.PostgresTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaMigratorITCase {

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Test
    void appliesEachMigrationOnceAndRefusesOneThatChanged() throws Exception {
        assertThat(SchemaMigrator.migrate(DB.jdbc())).containsExactlyElementsOf(SchemaMigrator.MIGRATIONS);
        assertThat(SchemaMigrator.migrate(DB.jdbc())).isEmpty();
        assertThat(DB.rows("SELECT version FROM schema_migrations ORDER BY version"))
                .containsExactlyElementsOf(SchemaMigrator.MIGRATIONS);
        assertThat(primaryKey("bars")).isEqualTo("symbol,timeframe,ts");
        assertThat(primaryKey("option_quotes")).isEqualTo("contract,ts");
        assertThat(primaryKey("fundamentals")).isEqualTo("symbol,fiscal_period,period_end");
        assertThat(primaryKey("news")).isEqualTo("provider,id");

        DB.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 'V1__create_bars.sql'");
        assertThatThrownBy(() -> SchemaMigrator.migrate(DB.jdbc()))
                .hasMessageContaining("V1__create_bars.sql was changed after it was applied");
    }

    private static String primaryKey(String table) throws Exception {
        return DB.rows("SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_index i "
                        + "JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true "
                        + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                        + "WHERE i.indrelid = '" + table + "'::regclass AND i.indisprimary").get(0);
    }

    @Test
    void everyFileInTheSqlFolderIsListed() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("..", "sql"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted())
                    .containsExactlyElementsOf(SchemaMigrator.MIGRATIONS);
        }
    }
}
