package dev.marketdata.bench;

import dev.marketdata.sources.model.Bar;
import java.nio.charset.StandardCharsets;

/**
 * A bar as Kafka Connect's {@code JsonConverter} reads it with {@code schemas.enable=true}:
 * {@code {"schema":{...},"payload":{...}}}, the schema a struct of the {@code bars} columns. {@code ts} is Connect's
 * {@code Timestamp} logical type (epoch milliseconds; the synthetic bars are whole minutes), which the Debezium
 * JDBC sink writes as a zone-less timestamp in the worker JVM's time zone: the worker runs with
 * {@code -Duser.timezone=UTC}.
 */
final class ConnectJson {

    /** The schema part, the same in every message (about 500 bytes of each). */
    static final String SCHEMA = "{\"type\":\"struct\",\"name\":\"bar\",\"optional\":false,\"fields\":["
            + field("symbol", "string", false) + "," + field("timeframe", "string", false) + ","
            + "{\"field\":\"ts\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\","
            + "\"version\":1,\"optional\":false},"
            + field("open", "double", false) + "," + field("high", "double", false) + ","
            + field("low", "double", false) + "," + field("close", "double", false) + ","
            + field("volume", "double", false) + "," + field("vwap", "double", true) + ","
            + field("trades", "int64", true) + "," + field("provider", "string", false) + "]}";

    private static String field(String name, String type, boolean optional) {
        return "{\"field\":\"" + name + "\",\"type\":\"" + type + "\",\"optional\":" + optional + "}";
    }

    byte[] envelope(Bar bar) {
        // Written by hand: plain ASCII symbols and numbers, as Jackson would write them (Double.toString).
        StringBuilder out =
                new StringBuilder(720).append("{\"schema\":").append(SCHEMA).append(",\"payload\":{");
        out.append("\"symbol\":\"")
                .append(bar.symbol())
                .append("\",\"timeframe\":\"")
                .append(bar.timeframe())
                .append("\",\"ts\":")
                .append(bar.ts().toEpochMilli())
                .append(",\"open\":")
                .append(bar.open())
                .append(",\"high\":")
                .append(bar.high())
                .append(",\"low\":")
                .append(bar.low())
                .append(",\"close\":")
                .append(bar.close())
                .append(",\"volume\":")
                .append(bar.volume())
                .append(",\"vwap\":")
                .append(bar.vwap() == null ? "null" : bar.vwap().toString())
                .append(",\"trades\":")
                .append(bar.trades() == null ? "null" : bar.trades().toString())
                .append(",\"provider\":\"")
                .append(bar.provider())
                .append("\"}}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
