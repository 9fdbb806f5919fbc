package dev.marketdata.job.validate;

import dev.marketdata.sources.model.NewsArticle;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The rules a news article must meet to be stored; each broken rule has its own reason code. Its symbols are tags,
 * stored as sent: they follow no symbol grammar (see {@code docs/identifiers.md}).
 */
public final class NewsArticleValidator implements Validator<NewsArticle> {

    private static final long serialVersionUID = 1L;

    /** Reason codes, in the order the rules are checked. */
    public enum Reason {
        MISSING_FIELD,
        TIME_OUT_OF_RANGE,
        MALFORMED_ID,
        BLANK_HEADLINE,
        MALFORMED_URL,
        NO_SYMBOLS,
        INVALID_SENTIMENT,
        UNSTORABLE_TEXT,
        KEY_TOO_LONG
    }

    static final int MAX_ID_LENGTH = 256;

    private static final List<String> REASONS =
            Arrays.stream(Reason.values()).map(Enum::name).toList();

    @Override
    public List<String> reasons() {
        return REASONS;
    }

    @Override
    public Violation check(NewsArticle a) {
        if (a.id() == null
                || a.publishedAt() == null
                || a.headline() == null
                || a.url() == null
                || a.symbols() == null
                || a.provider() == null) {
            return violation(
                    Reason.MISSING_FIELD, "id, published_at, headline, url, symbols and provider are required");
        }
        String time = StoredDomain.timeProblem("published_at", a.publishedAt());
        if (time != null) {
            return violation(Reason.TIME_OUT_OF_RANGE, time);
        }
        if (a.id().isBlank()
                || a.id().length() > MAX_ID_LENGTH
                || a.id().chars().anyMatch(Character::isISOControl)) {
            return violation(
                    Reason.MALFORMED_ID,
                    "id must be 1-" + MAX_ID_LENGTH + " characters without control characters, got '" + a.id() + "'");
        }
        if (a.headline().isBlank()) {
            return violation(Reason.BLANK_HEADLINE, "headline is blank");
        }
        String urlProblem = urlProblem(a.url());
        if (urlProblem != null) {
            return violation(Reason.MALFORMED_URL, "url '" + a.url() + "' " + urlProblem);
        }
        if (a.symbols().isEmpty()) {
            return violation(Reason.NO_SYMBOLS, "an article must name at least one symbol");
        }
        // The symbols are tags, not a key: one a provider spells oddly must not cost the article, so they are
        // stored exactly as sent (docs/identifiers.md). Only a null, which JSON arrays of strings cannot carry,
        // is refused. (Not with contains(null): the immutable lists of List.copyOf throw on it.)
        if (a.symbols().stream().anyMatch(Objects::isNull)) {
            return violation(Reason.MISSING_FIELD, "symbols must not contain null");
        }
        if (a.sentiment() != null && !(a.sentiment() >= -1 && a.sentiment() <= 1)) {
            return violation(Reason.INVALID_SENTIMENT, "sentiment must be in [-1, 1], got " + a.sentiment());
        }
        String text = BarValidator.firstNonNull(
                StoredDomain.textProblem("id", a.id()),
                StoredDomain.textProblem("headline", a.headline()),
                StoredDomain.textProblem("summary", a.summary()),
                StoredDomain.textProblem("author", a.author()),
                StoredDomain.textProblem("url", a.url()),
                StoredDomain.textProblem("source", a.source()),
                StoredDomain.textProblem("provider", a.provider()));
        for (int i = 0; text == null && i < a.symbols().size(); i++) {
            text = StoredDomain.textProblem("symbols[" + i + "]", a.symbols().get(i));
        }
        if (text != null) {
            return violation(Reason.UNSTORABLE_TEXT, text);
        }
        String key = StoredDomain.keyProblem("(provider, id)", a.provider(), a.id());
        // Each tag is an entry of the GIN index on symbols: one beyond the entry limit (54000) is refused here.
        for (int i = 0; key == null && i < a.symbols().size(); i++) {
            key = StoredDomain.keyProblem(
                    "symbols[" + i + "] (GIN index)", a.symbols().get(i));
        }
        if (key != null) {
            return violation(Reason.KEY_TOO_LONG, key);
        }
        return null;
    }

    /** Why {@code url} is no absolute http(s) URL with a host, or null when it is one. */
    static String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "does not parse: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return "is not an absolute http or https URL";
        }
        if (uri.getHost() == null && !hasInternationalHost(uri)) {
            return "has no host";
        }
        return null;
    }

    /** {@link URI} finds no host in a non-ASCII (IDN) authority such as {@code 例え.jp}; its ASCII form has one. */
    private static boolean hasInternationalHost(URI uri) {
        if (uri.getRawAuthority() == null) {
            return false;
        }
        try {
            return new URI("http://" + IDN.toASCII(uri.getRawAuthority(), IDN.ALLOW_UNASSIGNED)).getHost() != null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Violation violation(Reason reason, String message) {
        return new Violation(reason.name(), message);
    }
}
