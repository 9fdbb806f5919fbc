package dev.marketdata.sources.synthetic;

import static dev.marketdata.sources.synthetic.Hashing.below;
import static dev.marketdata.sources.synthetic.Hashing.mix;
import static dev.marketdata.sources.synthetic.Hashing.round;
import static dev.marketdata.sources.synthetic.Hashing.unit;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.NewsArticle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A news flow: in about one step in four a symbol gets an article, published within its minute, sometimes naming
 * a second symbol, its tone and sentiment following the bar's move.
 */
public final class SyntheticNews implements SyntheticGenerator<NewsArticle> {

    private static final long serialVersionUID = 1L;

    static final double ARTICLE_CHANCE = 0.25;
    private static final String[] RISING = {
        "%s climbs %.2f%% as buyers return",
        "%s gains %.2f%% after upbeat analyst note",
        "%s edges up %.2f%% — traders eye the next earnings call"
    };
    private static final String[] FALLING = {
        "%s slips %.2f%% in choppy trading",
        "%s falls %.2f%% as sector peers retreat",
        "%s down %.2f%% after guidance disappoints — analysts cautious"
    };
    private static final String[] SOURCES = {"Synthetic Wire", "Example Business News", "Marché Quotidien", null};
    private static final String[] AUTHORS = {"A. Analyst", "B. Reporter", "Zoë Écrivain", null};

    private final SyntheticSpec spec;

    public SyntheticNews(SyntheticSpec spec) {
        this.spec = spec;
    }

    @Override
    public int slotsPerStep() {
        return 1;
    }

    /** Whether symbol {@code symbolIndex} has an article at {@code step}. */
    public boolean hasArticle(int symbolIndex, long step) {
        return unit(mix(spec.seed() ^ 0x4E3B5, symbolIndex, step, 0)) < ARTICLE_CHANCE;
    }

    @Override
    public void generate(int symbolIndex, long step, Bar bar, List<NewsArticle> out) {
        if (!hasArticle(symbolIndex, step)) {
            return;
        }
        long h = mix(spec.seed() ^ 0x4E3B5, symbolIndex, step, 1);
        double change = (bar.close() / bar.open() - 1) * 100;
        String[] templates = change >= 0 ? RISING : FALLING;
        String headline =
                String.format(Locale.ROOT, templates[below(h, templates.length)], bar.symbol(), Math.abs(change));
        List<String> symbols = new ArrayList<>(2);
        symbols.add(bar.symbol());
        h = mix(h, 1, 0, 0);
        if (spec.symbols() > 1 && unit(h) < 0.3) {
            int other = (symbolIndex + 1 + below(mix(h, 2, 0, 0), spec.symbols() - 1)) % spec.symbols();
            symbols.add(SyntheticBars.symbol(other));
        }
        h = mix(h, 3, 0, 0);
        String summary = unit(h) < 0.2
                ? null
                : String.format(
                        Locale.ROOT,
                        "%s traded between %.2f and %.2f in the minute from %s, closing at %.2f.",
                        bar.symbol(),
                        bar.low(),
                        bar.high(),
                        bar.ts(),
                        bar.close());
        h = mix(h, 4, 0, 0);
        Double sentiment = unit(h) < 0.1 ? null : round(StrictMath.tanh(change * 2), 3);
        NewsArticle article = new NewsArticle(
                "syn-" + bar.symbol() + "-" + step,
                bar.ts().plusSeconds(below(mix(h, 5, 0, 0), 60)),
                headline,
                summary,
                AUTHORS[below(mix(h, 6, 0, 0), AUTHORS.length)],
                "https://news.example.com/synthetic/" + bar.symbol().toLowerCase(Locale.ROOT) + "/" + step,
                List.copyOf(symbols),
                SOURCES[below(mix(h, 7, 0, 0), SOURCES.length)],
                sentiment,
                SyntheticBars.PROVIDER);
        long ordinal = spec.invalidOrdinal(SyntheticGenerator.position(spec, 1, symbolIndex, step, 0));
        out.add(ordinal > 0 ? corrupt(article, NewsCorruption.forInvalidRecord(ordinal)) : article);
    }

    /** {@code a} spoiled in the given way. */
    public static NewsArticle corrupt(NewsArticle a, NewsCorruption corruption) {
        return switch (corruption) {
            case BLANK_HEADLINE ->
                new NewsArticle(
                        a.id(),
                        a.publishedAt(),
                        "   ",
                        a.summary(),
                        a.author(),
                        a.url(),
                        a.symbols(),
                        a.source(),
                        a.sentiment(),
                        a.provider());
            case MALFORMED_URL ->
                new NewsArticle(
                        a.id(),
                        a.publishedAt(),
                        a.headline(),
                        a.summary(),
                        a.author(),
                        "news.example.com/no scheme here",
                        a.symbols(),
                        a.source(),
                        a.sentiment(),
                        a.provider());
            case NO_SYMBOLS ->
                new NewsArticle(
                        a.id(),
                        a.publishedAt(),
                        a.headline(),
                        a.summary(),
                        a.author(),
                        a.url(),
                        List.of(),
                        a.source(),
                        a.sentiment(),
                        a.provider());
            case MALFORMED_ID ->
                new NewsArticle(
                        a.id() + "\n",
                        a.publishedAt(),
                        a.headline(),
                        a.summary(),
                        a.author(),
                        a.url(),
                        a.symbols(),
                        a.source(),
                        a.sentiment(),
                        a.provider());
            case SENTIMENT_OUT_OF_RANGE ->
                new NewsArticle(
                        a.id(),
                        a.publishedAt(),
                        a.headline(),
                        a.summary(),
                        a.author(),
                        a.url(),
                        a.symbols(),
                        a.source(),
                        1.5,
                        a.provider());
        };
    }
}
