package dev.marketdata.job.observability;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, for checking dashboards and alert rules against what a job really
 * exports. Not a PromQL parser: it removes everything that is not a metric name (string literals, label matchers in
 * braces, range and subquery brackets, grouping clauses with their label lists, Grafana variables, numbers,
 * durations, function calls and keywords); every identifier left is a metric name. An unknown word is therefore
 * reported as a metric name, which is the safe side for a check.
 */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern BRACES = Pattern.compile("\\{[^{}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE_GROUP_MODIFIER =
            Pattern.compile("\\b(group_left|group_right)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

    private PromQl() {}

    /** Metric names selected by {@code expression}, in order of appearance. */
    static Set<String> metricNames(String expression) {
        String rest = STRING.matcher(expression).replaceAll(" ");
        rest = VARIABLE.matcher(rest).replaceAll(" ");
        rest = BRACES.matcher(rest).replaceAll(" ");
        String before;
        do {
            before = rest;
            rest = BRACKETS.matcher(rest).replaceAll(" ");
        } while (!rest.equals(before));
        rest = GROUPING.matcher(rest).replaceAll(" ");
        rest = BARE_GROUP_MODIFIER.matcher(rest).replaceAll(" ");
        // label_values(metric, label): the label is no metric.
        rest = rest.replaceAll("label_values\\s*\\(([^,()]*),[^()]*\\)", "label_values($1)");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            String word = m.group(1);
            int after = m.end();
            while (after < rest.length() && Character.isWhitespace(rest.charAt(after))) {
                after++;
            }
            boolean call = after < rest.length() && rest.charAt(after) == '(';
            if (!call && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }
}
