package dev.marketdata.job.serialization;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The field formats the record serializers share. Text goes in Flink's string format, which carries null; every
 * other nullable value is preceded by a presence byte (1 present, 0 null).
 */
final class FieldIO {

    private FieldIO() {}

    static void writeText(String value, DataOutputView out) throws IOException {
        StringValue.writeString(value, out);
    }

    static String readText(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    static void writeDouble(Double value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    static Double readDouble(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    static void writeLong(Long value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    static Long readLong(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    static void writeInstant(Instant value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value.getEpochSecond());
            out.writeInt(value.getNano());
        }
    }

    static Instant readInstant(DataInputView in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    static void writeDate(LocalDate value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value.toEpochDay());
        }
    }

    static LocalDate readDate(DataInputView in) throws IOException {
        return in.readBoolean() ? LocalDate.ofEpochDay(in.readLong()) : null;
    }

    /** A list of text: its size (-1 for null), then each element (which may be null). */
    static void writeTextList(List<String> values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.size());
        for (String value : values) {
            StringValue.writeString(value, out);
        }
    }

    /** The list as written; unmodifiable, and allowing the null elements it may have been given. */
    static List<String> readTextList(DataInputView in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            return null;
        }
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(StringValue.readString(in));
        }
        return java.util.Collections.unmodifiableList(values);
    }
}
