package dev.marketdata.job.serialization;

import dev.marketdata.sources.model.Bar;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** The type information the job gives each record type: a hand-written serializer where one exists. */
public final class RecordTypes {

    private RecordTypes() {}

    /** {@code type}'s type information: {@link RecordTypeInfo} for a type with its own serializer, else Flink's. */
    @SuppressWarnings("unchecked") // checked: each branch's serializer is of the type compared
    public static <T> TypeInformation<T> of(Class<T> type) {
        if (type == Bar.class) {
            return (TypeInformation<T>) new RecordTypeInfo<>(Bar.class, BarSerializer.INSTANCE);
        }
        return TypeInformation.of(type);
    }
}
