package dev.marketdata.job.validate;

import dev.marketdata.sources.model.OccContract;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The symbol grammar every key column holding an instrument's symbol follows ({@code bars.symbol},
 * {@code fundamentals.symbol}, {@code option_quotes.underlying}), and the one canonical spelling stored for a
 * symbol that providers spell in several ways. The grammar, its sources and examples are in
 * {@code docs/identifiers.md}; in short:
 *
 * <ul>
 *   <li>1 to {@value #MAX_LENGTH} ASCII characters: upper-case letters, digits, the space,
 *       {@code . - / : = ^ & _ + # $ * ! @ %}, and the lower-case suffix letters of the CQS convention Polygon
 *       uses, {@code p} (preferred: {@code BACpL}), {@code r} (rights) and {@code w} (when issued); case is kept
 *       and significant;
 *   <li>the first an upper-case letter, a digit or {@code ^} (Yahoo indexes, {@code ^NSEI});
 *   <li>a colon only after a one-letter market prefix ({@code X:BTCUSD}, {@code C:EURUSD}, {@code I:SPX},
 *       {@code O:AAPL240315C00180000}), and after {@code O:} an option contract;
 *   <li>no two separators ({@code . - / : _ &} and the space) in a row, and none but {@code -} last;
 *   <li>an OCC option symbol in any of its spellings (see {@link OccContract}) is a symbol too, padding included.
 * </ul>
 *
 * <p>Everything else is refused: control characters, non-ASCII look-alikes, tabs, leading or trailing spaces,
 * list and quoting characters ({@code , ; " ' \ |}), other lower-case letters ({@code aapl}, {@code Apple Inc}: a
 * name or a lower-cased ticker, which would be another row), over-long values.
 */
public final class Symbols {

    /** The longest symbol accepted, in characters. */
    public static final int MAX_LENGTH = 32;

    /** The punctuation marks a symbol may contain, besides letters, digits and the space. */
    public static final String PUNCTUATION = ".-/:=^&_+#$*!@%";

    /** The lower-case letters of CQS suffixes: preferred, rights, when issued. */
    public static final String LOWER_CASE_SUFFIXES = "prw";

    /** Separators: they join two parts, so never two in a row and (but {@code -}, a Nasdaq preferred) never last. */
    private static final String SEPARATORS = ".-/:_& ";

    /** IBKR's (and the CMS convention's) class share or preferred: {@code BRK B}, {@code BAC PR}, {@code BAC PRL}. */
    private static final Pattern SPACE_SUFFIX = Pattern.compile("([A-Z0-9]+) (PR([A-Z]?)|[A-Z])");

    /** An OCC symbol whose root padding is off: the padded form is exactly 21 characters, or there is none. */
    private static final Pattern MISPADDED_CONTRACT = Pattern.compile("[A-Z0-9]{1,6} +\\d{6}[CP]\\d{8}");

    private Symbols() {}

    /** Why {@code symbol} is not a symbol, or null when it is one. {@code symbol} must not be null. */
    public static String problem(String symbol) {
        if (symbol.isEmpty() || symbol.length() > MAX_LENGTH) {
            return "must be 1-" + MAX_LENGTH + " characters long, is " + symbol.length();
        }
        if (OccContract.parse(symbol).isPresent()) {
            return null;
        }
        // The pattern needs a space: most symbols have none, and skip the matcher (it ran once per record).
        if (symbol.indexOf(' ') >= 0 && MISPADDED_CONTRACT.matcher(symbol).matches()) {
            return "is an OCC option symbol padded to " + symbol.length() + " characters instead of "
                    + OccContract.PADDED_LENGTH;
        }
        for (int i = 0; i < symbol.length(); i++) {
            char c = symbol.charAt(i);
            if (!allowed(c)) {
                return String.format(
                        "has %s at %d: a symbol is upper-case ASCII letters, digits, the space, %s "
                                + "and the suffix letters %s",
                        describe(c), i, PUNCTUATION, LOWER_CASE_SUFFIXES);
            }
            if (i > 0 && SEPARATORS.indexOf(c) >= 0 && SEPARATORS.indexOf(symbol.charAt(i - 1)) >= 0) {
                return "has two separators in a row at " + (i - 1);
            }
        }
        char first = symbol.charAt(0);
        if (!(first >= 'A' && first <= 'Z') && !(first >= '0' && first <= '9') && first != '^') {
            return "must start with an upper-case letter, a digit or ^";
        }
        char last = symbol.charAt(symbol.length() - 1);
        if (last != '-' && SEPARATORS.indexOf(last) >= 0) {
            return "must not end with '" + last + "'";
        }
        int colon = symbol.indexOf(':');
        if (colon >= 0) {
            if (colon != 1 || symbol.indexOf(':', colon + 1) >= 0) {
                return "may have a colon only after a one-letter market prefix, such as X:BTCUSD";
            }
            if (symbol.startsWith(OccContract.POLYGON_PREFIX)) {
                return "has the option prefix O: but no OCC option symbol after it";
            }
        }
        return null;
    }

    /** Whether {@code symbol} follows the grammar. */
    public static boolean isValid(String symbol) {
        return symbol != null && problem(symbol) == null;
    }

    /**
     * The spelling stored for a valid {@code symbol}: an option contract's {@linkplain OccContract#canonical()
     * canonical} spelling, IBKR's class shares and preferreds in the CQS form Polygon and Alpaca use
     * ({@code BRK B} becomes {@code BRK.B}, {@code BAC PRL} becomes {@code BACpL}, {@code BAC PR} becomes
     * {@code BACp}); every other symbol as it is. The spellings merged are those that name the same instrument
     * whoever sends them; see {@code docs/identifiers.md} for those deliberately kept apart.
     */
    public static String canonical(String symbol) {
        // Every spelling that changes has a space or Polygon's option prefix; the rest (nearly all) stay as they are.
        if (symbol.indexOf(' ') < 0 && !symbol.startsWith(OccContract.POLYGON_PREFIX)) {
            return symbol;
        }
        Optional<OccContract> contract = OccContract.parse(symbol);
        if (contract.isPresent()) {
            return contract.get().canonical();
        }
        Matcher m = SPACE_SUFFIX.matcher(symbol);
        if (!m.matches()) {
            return symbol;
        }
        if (m.group(2).startsWith("PR")) {
            return m.group(1) + 'p' + m.group(3);
        }
        return m.group(1) + '.' + m.group(2);
    }

    private static boolean allowed(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == ' '
                || PUNCTUATION.indexOf(c) >= 0
                || LOWER_CASE_SUFFIXES.indexOf(c) >= 0;
    }

    private static String describe(char c) {
        String code = String.format("U+%04X", (int) c);
        return c >= 0x20 && c < 0x7F ? "'" + c + "' (" + code + ")" : code;
    }
}
