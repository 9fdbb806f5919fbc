package dev.marketdata.job.dataset;

import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.FundamentalsJson;
import dev.marketdata.job.json.NewsArticleJson;
import dev.marketdata.job.json.OptionQuoteJson;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.serialization.RecordTypes;
import dev.marketdata.job.sink.table.BarTable;
import dev.marketdata.job.sink.table.FundamentalsTable;
import dev.marketdata.job.sink.table.NewsTable;
import dev.marketdata.job.sink.table.OptionQuoteTable;
import dev.marketdata.job.sink.table.PgTable;
import dev.marketdata.job.validate.BarValidator;
import dev.marketdata.job.validate.FundamentalsValidator;
import dev.marketdata.job.validate.NewsArticleValidator;
import dev.marketdata.job.validate.OptionQuoteValidator;
import dev.marketdata.job.validate.Validator;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import dev.marketdata.sources.synthetic.SyntheticSource;
import dev.marketdata.sources.synthetic.SyntheticSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Everything the job knows about one data set: its name (in options, dead letters, metrics and operator uids),
 * record type, JSON wire format, validation rules, table, the key that routes its records to one writer and
 * its synthetic source. Its Kafka topic option ({@link #topicOption}) and operator uids
 * ({@code MarketDataPipeline}) are derived from its name.
 *
 * @param name the data set's name, e.g. {@code options}; part of operator uids, so never renamed
 * @param title what operator names call its records, e.g. {@code option quotes}
 * @param routingKey a prefix of the natural key: records with the same one go to the same writer subtask, so
 *     per-key order holds and no two writers ever contend for a row
 */
public record Dataset<T>(
        String name,
        String title,
        Class<T> type,
        RecordJson<T> json,
        Validator<T> validator,
        PgTable<T> table,
        KeySelector<T, String> routingKey,
        Function<SyntheticSpec, SyntheticSource<T>> synthetic) {

    public static final Dataset<Bar> BARS = new Dataset<>(
            "bars",
            "bars",
            Bar.class,
            new BarJson(),
            new BarValidator(),
            new BarTable(),
            Bar::symbol,
            SyntheticSource::bars);

    public static final Dataset<OptionQuote> OPTIONS = new Dataset<>(
            "options",
            "option quotes",
            OptionQuote.class,
            new OptionQuoteJson(),
            new OptionQuoteValidator(),
            new OptionQuoteTable(),
            OptionQuote::contract,
            SyntheticSource::options);

    public static final Dataset<Fundamentals> FUNDAMENTALS = new Dataset<>(
            "fundamentals",
            "fundamentals",
            Fundamentals.class,
            new FundamentalsJson(),
            new FundamentalsValidator(),
            new FundamentalsTable(),
            Fundamentals::symbol,
            SyntheticSource::fundamentals);

    public static final Dataset<NewsArticle> NEWS = new Dataset<>(
            "news",
            "news",
            NewsArticle.class,
            new NewsArticleJson(),
            new NewsArticleValidator(),
            new NewsTable(),
            NewsKey.INSTANCE,
            SyntheticSource::news);

    /** Every data set, in the order the job wires them. */
    public static final List<Dataset<?>> ALL = List.of(BARS, OPTIONS, FUNDAMENTALS, NEWS);

    public static Optional<Dataset<?>> named(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** {@code --kafka-topic-<name>}: the Kafka topic of this data set, {@code md.<name>} unless set. */
    public ConfigOption<String> topicOption() {
        return ConfigOptions.key("kafka-topic-" + name)
                .stringType()
                .defaultValue("md." + name)
                .withDescription("Kafka topic of the " + name + " data set.");
    }

    /** How Flink moves this data set's records between operators ({@link RecordTypes}). */
    public TypeInformation<T> typeInfo() {
        return RecordTypes.of(type);
    }

    @Override
    public String toString() {
        return name;
    }

    /** News routes by provider and id: one article, one writer. */
    private enum NewsKey implements KeySelector<NewsArticle, String> {
        INSTANCE;

        @Override
        public String getKey(NewsArticle article) {
            return article.provider() + '\u0000' + article.id();
        }
    }
}
