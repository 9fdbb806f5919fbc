package dev.marketdata.sources.model;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.TypeExtractor;

/**
 * Flink type of a market-data record as a POJO, like Flink's own analysis, except that {@link LocalDate} fields
 * get Flink's built-in date serializer: the POJO analysis would hand them to Kryo, which the job forbids.
 * Used through {@code @TypeInfo(RecordTypeInfoFactory.class)} on the record.
 */
public final class RecordTypeInfoFactory<T> extends TypeInfoFactory<T> {

    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<T> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
        Class<T> record = (Class<T>) type;
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        for (RecordComponent component : record.getRecordComponents()) {
            fields.put(
                    component.getName(),
                    component.getType() == LocalDate.class
                            ? Types.LOCAL_DATE
                            : TypeExtractor.createTypeInfo(component.getGenericType()));
        }
        return Types.POJO(record, fields);
    }
}
