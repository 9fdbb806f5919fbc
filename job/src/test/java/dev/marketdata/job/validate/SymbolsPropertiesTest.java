package dev.marketdata.job.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marketdata.sources.model.OccContract;
import java.time.LocalDate;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** Properties of the symbol grammar and the canonical spellings, over generated symbols and arbitrary text. */
class SymbolsPropertiesTest {

    private static final String ALLOWED =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 " + Symbols.PUNCTUATION + Symbols.LOWER_CASE_SUFFIXES;

    /** Any text at all, control characters, surrogates and U+0000 included: a verdict, never an exception. */
    @Property(tries = 2000)
    void everyStringGetsAVerdictAndEveryAcceptedOneIsShortAsciiWithAStableCanonicalSpelling(
            @ForAll @StringLength(max = 40) String text) {
        String problem = Symbols.problem(text);
        if (problem != null) {
            assertThat(problem).isNotBlank();
            return;
        }
        assertThat(text.length()).isBetween(1, Symbols.MAX_LENGTH);
        assertThat(text.chars()).allMatch(c -> ALLOWED.indexOf(c) >= 0);
        assertCanonicalIsAFixedPoint(text);
    }

    @Property(tries = 2000)
    void symbolsBuiltTheWayProvidersBuildThemAreAccepted(@ForAll("providerSymbols") String symbol) {
        assertThat(Symbols.problem(symbol)).as(symbol).isNull();
        assertCanonicalIsAFixedPoint(symbol);
    }

    @Property(tries = 1000)
    void anyCharacterOutsideTheGrammarIsRefused(
            @ForAll("providerSymbols") String symbol,
            @ForAll("foreignCharacters") char foreign,
            @ForAll @IntRange(max = 32) int at) {
        int position = Math.min(at, symbol.length());
        String spoiled = symbol.substring(0, position) + foreign + symbol.substring(position);
        assertThat(Symbols.problem(spoiled)).as(spoiled).isNotNull();
    }

    @Property(tries = 1000)
    void ibkrClassSharesAndPreferredsAreStoredInPolygonsSpelling(
            @ForAll("roots") String root, @ForAll("classLetters") char letter) {
        assertThat(Symbols.canonical(root + " " + letter)).isEqualTo(root + "." + letter);
        assertThat(Symbols.canonical(root + " PR" + letter)).isEqualTo(root + "p" + letter);
        assertThat(Symbols.canonical(root + "." + letter)).isEqualTo(root + "." + letter);
    }

    @Property(tries = 1000)
    void theThreeSpellingsOfAnOptionContractAreOneContractStoredCompact(@ForAll("contracts") OccContract contract) {
        String compact = contract.canonical();
        String padded = contract.root()
                + " ".repeat(6 - contract.root().length())
                + compact.substring(contract.root().length());
        String polygon = OccContract.POLYGON_PREFIX + compact;
        assertThat(padded).hasSize(OccContract.PADDED_LENGTH);
        for (String spelling : new String[] {compact, padded, polygon}) {
            assertThat(OccContract.parse(spelling)).as(spelling).contains(contract);
            assertThat(Symbols.problem(spelling)).as(spelling).isNull();
            assertThat(Symbols.canonical(spelling)).isEqualTo(compact);
        }
        assertThat(compact).doesNotContain(" ").doesNotStartWith(OccContract.POLYGON_PREFIX);
    }

    private static void assertCanonicalIsAFixedPoint(String symbol) {
        String canonical = Symbols.canonical(symbol);
        assertThat(Symbols.problem(canonical)).as(symbol + " -> " + canonical).isNull();
        assertThat(Symbols.canonical(canonical)).as(symbol + " -> " + canonical).isEqualTo(canonical);
        Optional<OccContract> contract = OccContract.parse(symbol);
        contract.ifPresent(c -> assertThat(canonical).isEqualTo(c.canonical()));
    }

    @Provide
    Arbitrary<String> roots() {
        return Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                .ofMinLength(1)
                .ofMaxLength(5)
                .flatMap(head -> Arbitraries.strings()
                        .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                        .ofMaxLength(3)
                        .map(tail -> head + tail));
    }

    @Provide
    Arbitrary<Character> classLetters() {
        return Arbitraries.chars().range('A', 'Z');
    }

    /** Root, then at most two suffixes, each a separator or suffix mark and letters, as the conventions write them. */
    @Provide
    Arbitrary<String> providerSymbols() {
        Arbitrary<String> suffix = Combinators.combine(
                        Arbitraries.of(".", "-", "/", "_", "&", " ", "=", "+", "#", "$", "*", "p", "r", "w", ""),
                        Arbitraries.strings()
                                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                                .ofMinLength(1)
                                .ofMaxLength(6))
                .as((mark, letters) -> mark + letters);
        Arbitrary<String> prefix = Arbitraries.of("", "", "", "X:", "C:", "I:", "^");
        return Combinators.combine(prefix, roots(), suffix.list().ofMaxSize(2))
                .as((p, root, suffixes) -> p + root + String.join("", suffixes))
                .filter(s -> s.length() <= Symbols.MAX_LENGTH && !s.startsWith("O:"));
    }

    @Provide
    Arbitrary<Character> foreignCharacters() {
        return Arbitraries.chars().all().filter(c -> ALLOWED.indexOf(c) < 0);
    }

    @Provide
    Arbitrary<OccContract> contracts() {
        Arbitrary<String> root = Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                .ofMinLength(1)
                .ofMaxLength(6);
        Arbitrary<LocalDate> expiration = Arbitraries.longs().between(0, 36_524).map(days -> LocalDate.of(2000, 1, 1)
                .plusDays(days));
        return Combinators.combine(
                        root,
                        expiration,
                        Arbitraries.of(true, false),
                        Arbitraries.longs().between(0, 99_999_999))
                .as(OccContract::new);
    }
}
