package dev.marketdata.job.serialization;

import dev.marketdata.job.kafka.KafkaMessage;
import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** The type information the job gives each record type: its hand-written serializer, else Flink's own. */
public final class RecordTypes {

    /**
     * Flink setting (in config.yaml, or {@code flink:market-data.pojo-serializers=true} in a bench variant): move
     * records with Flink's reflective POJO serializer instead of the job's own, to compare the two or to rule the
     * job's own out when diagnosing. No state holds records, so either can restore the other's savepoints.
     */
    public static final ConfigOption<Boolean> POJO_SERIALIZERS = ConfigOptions.key("market-data.pojo-serializers")
            .booleanType()
            .defaultValue(false)
            .withDescription("Move records between operators with Flink's POJO serializer instead of the job's own"
                    + " hand-written serializers (slower; for comparison and diagnosis).");

    private RecordTypes() {}

    /** {@code type}'s type information under {@code config}: see {@link #POJO_SERIALIZERS}. */
    public static <T> TypeInformation<T> of(Class<T> type, ReadableConfig config) {
        return config.get(POJO_SERIALIZERS) ? TypeInformation.of(type) : of(type);
    }

    /** {@code type}'s type information: {@link RecordTypeInfo} for a type with its own serializer, else Flink's. */
    @SuppressWarnings("unchecked") // checked: each branch's serializer is of the type compared
    public static <T> TypeInformation<T> of(Class<T> type) {
        if (type == Bar.class) {
            return (TypeInformation<T>) new RecordTypeInfo<>(Bar.class, BarSerializer.INSTANCE);
        }
        if (type == OptionQuote.class) {
            return (TypeInformation<T>) new RecordTypeInfo<>(OptionQuote.class, OptionQuoteSerializer.INSTANCE);
        }
        if (type == Fundamentals.class) {
            return (TypeInformation<T>) new RecordTypeInfo<>(Fundamentals.class, FundamentalsSerializer.INSTANCE);
        }
        if (type == KafkaMessage.class) {
            return (TypeInformation<T>) new RecordTypeInfo<>(KafkaMessage.class, KafkaMessageSerializer.INSTANCE);
        }
        if (type == NewsArticle.class) {
            return (TypeInformation<T>) new RecordTypeInfo<>(NewsArticle.class, NewsArticleSerializer.INSTANCE);
        }
        return TypeInformation.of(type);
    }
}
