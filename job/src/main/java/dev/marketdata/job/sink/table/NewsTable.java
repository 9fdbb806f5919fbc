package dev.marketdata.job.sink.table;

import dev.marketdata.job.json.NewsArticleJson;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.validate.StoredDomain;
import dev.marketdata.sources.model.NewsArticle;
import java.time.Instant;
import java.util.List;

/** The {@code news} table; key (provider, id): article ids are unique per provider, not across providers. */
public final class NewsTable extends BaseTable<NewsArticle> {

    private static final long serialVersionUID = 1L;

    private static final List<String> COLUMNS = List.of(
            "id", "published_at", "headline", "summary", "author", "url", "symbols", "source", "sentiment", "provider");
    private static final List<String> KEY = List.of("provider", "id");

    public NewsTable() {
        this("news");
    }

    public NewsTable(String name) {
        super(name, "news", COLUMNS, KEY);
    }

    @Override
    public RowKey key(NewsArticle a) {
        return new Key(a.provider(), a.id());
    }

    @Override
    public NewsArticle stored(NewsArticle a) {
        Instant published = StoredDomain.atStoredPrecision(a.publishedAt());
        return published == a.publishedAt()
                ? a
                : new NewsArticle(
                        a.id(),
                        published,
                        a.headline(),
                        a.summary(),
                        a.author(),
                        a.url(),
                        a.symbols(),
                        a.source(),
                        a.sentiment(),
                        a.provider());
    }

    @Override
    public void writeRow(NewsArticle a, PgBinaryCopyBuffer out) {
        out.startRow(COLUMNS.size());
        out.putText(a.id());
        out.putTimestamptz(a.publishedAt());
        out.putText(a.headline());
        out.putText(a.summary());
        out.putText(a.author());
        out.putText(a.url());
        out.putTextArray(a.symbols());
        out.putText(a.source());
        out.putFloat8(a.sentiment());
        out.putText(a.provider());
    }

    @Override
    public RecordJson<NewsArticle> json() {
        return new NewsArticleJson();
    }

    private record Key(String provider, String id) implements RowKey {}
}
