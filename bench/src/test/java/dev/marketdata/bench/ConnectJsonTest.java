package dev.marketdata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketdata.sources.model.Bar;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kafka Connect scenario's messages and configuration: what the Debezium JDBC sink is given. */
class ConnectJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void envelopeCarriesTheSchemaOfEveryColumnAndTheBarAsPayload() throws Exception {
        Bar bar = new Bar(
                "SYM7",
                "1m",
                Instant.parse("2024-01-02T14:31:00Z"),
                101.25,
                101.5,
                100.75,
                101.0,
                1234.0,
                101.1,
                17L,
                "synthetic");
        JsonNode message = MAPPER.readTree(new ConnectJson().envelope(bar));

        List<String> fields = new ArrayList<>();
        message.get("schema")
                .get("fields")
                .forEach(f -> fields.add(f.get("field").asText() + ":"
                        + f.get("type").asText() + (f.get("optional").asBoolean() ? "?" : "")));
        assertThat(fields)
                .containsExactly(
                        "symbol:string",
                        "timeframe:string",
                        "ts:int64",
                        "open:double",
                        "high:double",
                        "low:double",
                        "close:double",
                        "volume:double",
                        "vwap:double?",
                        "trades:int64?",
                        "provider:string");
        assertThat(message.get("schema").get("fields").get(2).get("name").asText())
                .isEqualTo("org.apache.kafka.connect.data.Timestamp");

        JsonNode payload = message.get("payload");
        assertThat(payload.get("symbol").asText()).isEqualTo("SYM7");
        assertThat(payload.get("ts").asLong())
                .isEqualTo(Instant.parse("2024-01-02T14:31:00Z").toEpochMilli());
        assertThat(payload.get("close").asDouble()).isEqualTo(101.0);
        assertThat(payload.get("volume").asDouble()).isEqualTo(1234.0);
        assertThat(payload.get("vwap").asDouble()).isEqualTo(101.1);
        assertThat(payload.get("trades").asLong()).isEqualTo(17L);
        assertThat(payload.get("provider").asText()).isEqualTo("synthetic");
    }

    @Test
    void absentOptionalsAreJsonNull() throws Exception {
        Bar bar = new Bar("A", "1m", Instant.EPOCH, 1, 1, 1, 1, 0, null, null, "p");
        JsonNode payload = MAPPER.readTree(new ConnectJson().envelope(bar)).get("payload");
        assertThat(payload.get("vwap").isNull()).isTrue();
        assertThat(payload.get("trades").isNull()).isTrue();
    }

    @Test
    void workerAndConnectorAreConfiguredAsTheIssueAsks() throws Exception {
        Map<String, String> worker = ConnectWorker.workerConfig("127.0.0.1:9092", Path.of("/tmp/w"), true);
        assertThat(worker)
                .containsEntry("value.converter", "org.apache.kafka.connect.json.JsonConverter")
                .containsEntry("value.converter.schemas.enable", "true")
                .containsEntry("config.providers", "env");
        assertThat(worker.get("listeners")).startsWith("http://127.0.0.1:");

        Map<String, String> sink = ConnectWorker.connectorConfig(
                PgUrl.parse("jdbc:postgresql://127.0.0.1:5433/mds_bench?user=ingest"), true, "bench-bars-connect-p2");
        assertThat(sink)
                .containsEntry("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector")
                .containsEntry("tasks.max", "2")
                .containsEntry("topics", BenchKafka.CONNECT_TOPIC)
                .containsEntry("insert.mode", "upsert")
                .containsEntry("primary.key.mode", "record_value")
                .containsEntry("primary.key.fields", "symbol,timeframe,ts")
                .containsEntry("collection.name.format", "bars_connect")
                .containsEntry("connection.username", "ingest")
                .containsEntry("connection.password", "${env:MDS_JDBC_PASSWORD}")
                .containsEntry(
                        "connection.url", "jdbc:postgresql://127.0.0.1:5433/mds_bench?reWriteBatchedInserts=true");
    }
}
