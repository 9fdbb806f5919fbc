package dev.marketdata.job.serialization;

import static dev.marketdata.job.serialization.FieldIO.readDouble;
import static dev.marketdata.job.serialization.FieldIO.readInstant;
import static dev.marketdata.job.serialization.FieldIO.readText;
import static dev.marketdata.job.serialization.FieldIO.readTextList;
import static dev.marketdata.job.serialization.FieldIO.writeDouble;
import static dev.marketdata.job.serialization.FieldIO.writeInstant;
import static dev.marketdata.job.serialization.FieldIO.writeText;
import static dev.marketdata.job.serialization.FieldIO.writeTextList;

import dev.marketdata.sources.model.NewsArticle;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes a {@link NewsArticle} field by field, in declaration order ({@link FieldIO}'s formats). */
public final class NewsArticleSerializer extends ImmutableRecordSerializer<NewsArticle> {

    private static final long serialVersionUID = 1L;

    public static final NewsArticleSerializer INSTANCE = new NewsArticleSerializer();

    @Override
    public void serialize(NewsArticle a, DataOutputView out) throws IOException {
        writeText(a.id(), out);
        writeInstant(a.publishedAt(), out);
        writeText(a.headline(), out);
        writeText(a.summary(), out);
        writeText(a.author(), out);
        writeText(a.url(), out);
        writeTextList(a.symbols(), out);
        writeText(a.source(), out);
        writeDouble(a.sentiment(), out);
        writeText(a.provider(), out);
    }

    @Override
    public NewsArticle deserialize(DataInputView in) throws IOException {
        return new NewsArticle(
                readText(in),
                readInstant(in),
                readText(in),
                readText(in),
                readText(in),
                readText(in),
                readTextList(in),
                readText(in),
                readDouble(in),
                readText(in));
    }

    @Override
    public TypeSerializerSnapshot<NewsArticle> snapshotConfiguration() {
        return new Snapshot();
    }

    /** No configuration; version 1 is the format above. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<NewsArticle> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
