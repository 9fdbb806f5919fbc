package dev.marketdata.job.domain;

import dev.marketdata.sources.model.Bar;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.model.NewsArticle;
import dev.marketdata.sources.model.OptionQuote;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Records drawn from each field's whole domain, as the issue asks: times from year -290000 to 290000 with 0-9
 * fractional digits, any UTF-16 text (U+0000 and unpaired surrogates included), doubles from subnormal to 1e308,
 * NaN and the infinities, empty and 10,000-character strings; about half of them shaped to pass the rules, so the
 * stored paths see extreme but valid values too.
 */
final class DomainValues {

    private static final Instant MARKET = Instant.parse("2024-06-14T13:30:00Z");
    private static final long YEAR_SECONDS = 31_556_952L; // 365.2425 days
    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

    private final Random r;

    DomainValues(Random random) {
        this.r = random;
    }

    // ---- fields ----

    /** A time anywhere from year -290000 to 290000, with 0 to 9 fractional digits. */
    Instant anyInstant() {
        long seconds = (long) ((r.nextDouble() * 2 - 1) * 290_000 * YEAR_SECONDS);
        return Instant.ofEpochSecond(seconds, fraction());
    }

    /** A time: often a market minute, else within years 1-9999, else anywhere in ±290000 years. */
    Instant instant() {
        return switch (r.nextInt(6)) {
            case 0, 1 -> MARKET.plusSeconds(60L * r.nextInt(100_000));
            case 2 ->
                Instant.ofEpochSecond(-62_135_596_800L + (long) (r.nextDouble() * 9999 * YEAR_SECONDS), fraction());
            case 3 -> Instant.parse("9999-12-31T23:59:59Z").plusNanos(r.nextInt(1_000_000_000));
            default -> anyInstant();
        };
    }

    private int fraction() {
        int digits = r.nextInt(10);
        int nanos = digits == 0 ? 0 : r.nextInt((int) Math.pow(10, digits));
        return nanos * (int) Math.pow(10, 9 - digits);
    }

    LocalDate date() {
        return switch (r.nextInt(6)) {
            case 0, 1, 2 -> LocalDate.of(2020, 1, 1).plusDays(r.nextInt(3000));
            case 3 -> LocalDate.of(1, 1, 1).plusDays((long) (r.nextDouble() * 3_652_059));
            case 4 -> r.nextBoolean() ? LocalDate.MAX : LocalDate.MIN;
            default -> LocalDate.ofEpochDay((long) ((r.nextDouble() * 2 - 1) * 290_000 * 365.2425));
        };
    }

    /** Any text: words, any UTF-16 code units, empty, 10,000 characters, one U+0000, one unpaired surrogate, emoji. */
    String text() {
        return switch (r.nextInt(9)) {
            case 0, 1 -> word(1 + r.nextInt(20));
            case 2 -> units(r.nextInt(40));
            case 3 -> "";
            case 4 -> r.nextBoolean() ? word(10_000) : units(10_000);
            case 5 -> insert(word(1 + r.nextInt(10)), "\u0000");
            case 6 -> insert(word(1 + r.nextInt(10)), String.valueOf((char) (0xD800 + r.nextInt(0x800))));
            case 7 -> "caf\u00e9 \u20ac \ud83d\ude00 \u4e2d\u6587 " + word(3);
            default -> " \t\n" + word(2) + "\u007f\u0085\u2028";
        };
    }

    /** Text that the rules accept in a free-text field: valid UTF-16 without U+0000, up to 10,000 characters. */
    String storableText() {
        String text;
        do {
            text = switch (r.nextInt(4)) {
                case 0 -> word(1 + r.nextInt(30));
                case 1 -> "caf\u00e9 \u20ac \ud83d\ude00 \u4e2d\u6587 \u0001 \\ \" " + word(3);
                case 2 -> units(1 + r.nextInt(40));
                default -> units(10_000);
            };
        } while (!isStorable(text));
        return text;
    }

    private static boolean isStorable(String text) {
        return dev.marketdata.job.validate.StoredDomain.unstorableAt(text) < 0 && !text.isBlank();
    }

    String symbol() {
        return r.nextInt(4) > 0 ? upper(1 + r.nextInt(5)) : text();
    }

    /** Any double: its bits at random (subnormals to 1e308, NaN), the special values, and plain prices. */
    double anyDouble() {
        return switch (r.nextInt(6)) {
            case 0, 1 -> Math.round(r.nextDouble() * 100_000) / 100.0;
            case 2 -> Double.longBitsToDouble(r.nextLong());
            case 3 -> Double.MIN_VALUE * (1 + r.nextInt(1000)) * (r.nextBoolean() ? 1 : -1);
            case 4 ->
                new double[] {
                            Double.NaN,
                            Double.POSITIVE_INFINITY,
                            Double.NEGATIVE_INFINITY,
                            0.0,
                            -0.0,
                            Double.MAX_VALUE,
                            Double.MIN_NORMAL,
                            1e308,
                            -1e308
                        }
                        [r.nextInt(9)];
            default -> -r.nextDouble() * 1000;
        };
    }

    /** A finite positive double from subnormal to 1e308. */
    double positive() {
        return switch (r.nextInt(5)) {
            case 0 -> Double.MIN_VALUE * (1 + r.nextInt(1000));
            case 1 -> 1e308 * r.nextDouble() + Double.MIN_VALUE;
            case 2 -> Math.abs(Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL)) + Double.MIN_VALUE;
            default -> 0.01 + Math.round(r.nextDouble() * 100_000) / 100.0;
        };
    }

    Double nullableDouble() {
        return r.nextInt(4) == 0 ? null : anyDouble();
    }

    Long nullableLong() {
        return switch (r.nextInt(4)) {
            case 0 -> null;
            case 1 -> r.nextLong();
            default -> (long) r.nextInt(100_000);
        };
    }

    // ---- records ----

    Bar bar() {
        if (r.nextBoolean()) {
            return new Bar(
                    symbol(),
                    r.nextBoolean() ? "1m" : text(),
                    instant(),
                    anyDouble(),
                    anyDouble(),
                    anyDouble(),
                    anyDouble(),
                    anyDouble(),
                    nullableDouble(),
                    nullableLong(),
                    text());
        }
        double[] prices = {positive(), positive(), positive(), positive()};
        java.util.Arrays.sort(prices);
        return new Bar(
                upper(1 + r.nextInt(5)),
                r.nextBoolean() ? "1m" : "1d",
                marketMinute(),
                prices[1],
                prices[3],
                prices[0],
                prices[2],
                r.nextBoolean() ? 0.0 : positive(),
                r.nextBoolean() ? null : positive(),
                r.nextBoolean() ? null : (long) r.nextInt(Integer.MAX_VALUE),
                storableText());
    }

    OptionQuote optionQuote() {
        if (r.nextBoolean()) {
            return new OptionQuote(
                    text(),
                    symbol(),
                    date(),
                    anyDouble(),
                    r.nextBoolean() ? "call" : text(),
                    anyDouble(),
                    anyDouble(),
                    nullableDouble(),
                    nullableLong(),
                    nullableLong(),
                    nullableLong(),
                    nullableLong(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    instant(),
                    text());
        }
        Instant ts = MARKET.plusSeconds(r.nextInt(86_400 * 20)).plusNanos(r.nextInt(1_000_000_000));
        LocalDate expiration = ts.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1 + r.nextInt(700));
        boolean call = r.nextBoolean();
        int strikeThousandths = 1000 * (1 + r.nextInt(900));
        String root = upper(1 + r.nextInt(5));
        String contract =
                root + expiration.format(YYMMDD) + (call ? "C" : "P") + String.format("%08d", strikeThousandths);
        double bid = r.nextBoolean() ? 0.0 : positive() / 4;
        double ask = bid + (r.nextBoolean() ? 0.0 : Double.MIN_VALUE * r.nextInt(5));
        Double delta = r.nextBoolean() ? null : (call ? r.nextDouble() : -r.nextDouble());
        return new OptionQuote(
                contract,
                root,
                expiration,
                strikeThousandths / 1000.0,
                call ? "call" : "put",
                bid,
                ask,
                r.nextBoolean() ? null : positive(),
                nonNegativeLong(),
                nonNegativeLong(),
                nonNegativeLong(),
                nonNegativeLong(),
                r.nextBoolean() ? null : positive(),
                delta,
                r.nextBoolean() ? null : positive(),
                r.nextBoolean() ? null : -positive(),
                r.nextBoolean() ? null : positive(),
                r.nextBoolean() ? null : (r.nextBoolean() ? -0.0 : anyFinite()),
                ts,
                storableText());
    }

    Fundamentals fundamentals() {
        if (r.nextBoolean()) {
            return new Fundamentals(
                    symbol(),
                    r.nextInt(),
                    r.nextBoolean() ? "Q1" : text(),
                    date(),
                    date(),
                    r.nextBoolean() ? null : date(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    nullableDouble(),
                    r.nextBoolean() ? "USD" : text(),
                    text());
        }
        LocalDate start = LocalDate.of(1 + r.nextInt(9998), 1 + r.nextInt(12), 1);
        LocalDate end = start.plusDays(89);
        if (end.getYear() > 9999) {
            start = LocalDate.of(2024, 1, 1);
            end = start.plusDays(89);
        }
        LocalDate filed = r.nextBoolean() || end.plusDays(30).getYear() > 9999 ? null : end.plusDays(r.nextInt(30));
        double revenue = r.nextBoolean() ? positive() : 0.0;
        return new Fundamentals(
                upper(1 + r.nextInt(5)),
                end.getYear(),
                "Q" + (1 + r.nextInt(4)),
                start,
                end,
                filed,
                revenue,
                r.nextBoolean() ? null : revenue / 2,
                finiteOrNull(),
                finiteOrNull(),
                finiteOrNull(),
                finiteOrNull(),
                r.nextBoolean() ? null : positive(),
                r.nextBoolean() ? null : positive(),
                finiteOrNull(),
                finiteOrNull(),
                r.nextBoolean() ? "USD" : "JPY",
                storableText());
    }

    NewsArticle newsArticle() {
        if (r.nextBoolean()) {
            List<String> symbols = new ArrayList<>();
            for (int i = r.nextInt(3); i >= 0; i--) {
                symbols.add(symbol());
            }
            return new NewsArticle(
                    text(),
                    instant(),
                    text(),
                    r.nextBoolean() ? null : text(),
                    r.nextBoolean() ? null : text(),
                    r.nextBoolean() ? "https://news.example.com/" + word(5) : text(),
                    symbols,
                    r.nextBoolean() ? null : text(),
                    nullableDouble(),
                    text());
        }
        List<String> symbols = new ArrayList<>();
        for (int i = r.nextInt(3); i >= 0; i--) {
            symbols.add(upper(1 + r.nextInt(5)));
        }
        return new NewsArticle(
                word(1 + r.nextInt(200)),
                marketMinute().plusNanos(r.nextInt(1_000_000_000)),
                storableText(),
                r.nextBoolean() ? null : storableText(),
                r.nextBoolean() ? null : storableText(),
                "https://news.example.com/a/" + word(1 + r.nextInt(50)),
                symbols,
                r.nextBoolean() ? null : storableText(),
                r.nextBoolean() ? null : (r.nextBoolean() ? -0.0 : r.nextDouble() * 2 - 1),
                storableText());
    }

    /** Arbitrary bytes: any, valid UTF-8 text with U+0000, or not UTF-8 at all. */
    byte[] payload() {
        return switch (r.nextInt(3)) {
            case 0 -> {
                byte[] bytes = new byte[r.nextInt(200)];
                r.nextBytes(bytes);
                yield bytes;
            }
            case 1 ->
                ("{\"id\":\"" + insert(word(5), "\u0000") + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            default -> text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        };
    }

    // ---- helpers ----

    private Instant marketMinute() {
        return MARKET.plusSeconds(86_400L * r.nextInt(3000)).plusSeconds(60L * r.nextInt(390));
    }

    private double anyFinite() {
        double d;
        do {
            d = anyDouble();
        } while (!Double.isFinite(d));
        return d;
    }

    private Double finiteOrNull() {
        return r.nextBoolean() ? null : anyFinite();
    }

    private Long nonNegativeLong() {
        return r.nextBoolean() ? null : (r.nextBoolean() ? Long.MAX_VALUE : (long) r.nextInt(1_000_000));
    }

    private String word(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) ('a' + r.nextInt(26)));
        }
        return out.toString();
    }

    private String upper(int length) {
        return word(length).toUpperCase(java.util.Locale.ROOT);
    }

    private String units(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) r.nextInt(0x10000));
        }
        return out.toString();
    }

    private String insert(String text, String what) {
        int at = r.nextInt(text.length() + 1);
        return text.substring(0, at) + what + text.substring(at);
    }
}
