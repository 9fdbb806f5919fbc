package dev.marketdata.job.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketdata.job.json.Json;
import dev.marketdata.job.json.RecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** The example record of each data set in docs/data-sets.md, and variants of it one field at a time. */
public final class Samples {

    private Samples() {}

    public static final String BAR = "{\"symbol\":\"AAPL\",\"timeframe\":\"1m\",\"ts\":\"2024-03-01T14:30:00Z\","
            + "\"open\":182.1,\"high\":182.5,\"low\":181.9,\"close\":182.3,\"volume\":120345,\"vwap\":182.2,"
            + "\"trades\":812,\"provider\":\"polygon\"}";

    public static final String OPTION_QUOTE = "{\"contract\":\"AAPL240315C00180000\",\"underlying\":\"AAPL\","
            + "\"expiration\":\"2024-03-15\",\"strike\":180.0,\"option_right\":\"call\",\"bid\":4.35,\"ask\":4.45,"
            + "\"last\":4.4,\"bid_size\":12,\"ask_size\":30,\"volume\":1520,\"open_interest\":20311,"
            + "\"implied_volatility\":0.2231,\"delta\":0.5412,\"gamma\":0.0456,\"theta\":-0.0712,\"vega\":0.1534,"
            + "\"rho\":0.0321,\"ts\":\"2024-03-01T14:30:00Z\",\"provider\":\"polygon\"}";

    public static final String FUNDAMENTALS = "{\"symbol\":\"AAPL\",\"fiscal_year\":2024,\"fiscal_period\":\"Q1\","
            + "\"period_start\":\"2023-10-01\",\"period_end\":\"2023-12-30\",\"filing_date\":\"2024-02-02\","
            + "\"revenue\":119575000000,\"gross_profit\":54855000000,\"operating_income\":40373000000,"
            + "\"net_income\":33916000000,\"eps_basic\":2.19,\"eps_diluted\":2.18,\"total_assets\":353514000000,"
            + "\"total_liabilities\":279414000000,\"shareholders_equity\":74100000000,"
            + "\"operating_cash_flow\":39895000000,\"currency\":\"USD\",\"provider\":\"polygon\"}";

    public static final String NEWS = "{\"id\":\"bz-37412345\",\"published_at\":\"2024-03-01T14:31:07Z\","
            + "\"headline\":\"Apple and Microsoft lead a tech rally\",\"summary\":\"Megacaps rose in early trading.\","
            + "\"author\":\"Jane Doe\",\"url\":\"https://www.benzinga.com/news/24/03/37412345/tech-rally\","
            + "\"symbols\":[\"AAPL\",\"MSFT\"],\"source\":\"Benzinga\",\"sentiment\":0.42,\"provider\":\"benzinga\"}";

    /** {@code json} with {@code change} applied, read with {@code format}. */
    public static <T> T read(RecordJson<T> format, String json, Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(json);
            change.accept(node);
            return format.read(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code json} with {@code change} applied, as text. */
    public static String edit(String json, Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(json);
            change.accept(node);
            return Json.MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
