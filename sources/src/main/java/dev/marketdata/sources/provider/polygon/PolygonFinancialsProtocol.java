package dev.marketdata.sources.provider.polygon;

import static dev.marketdata.sources.provider.JsonItems.date;
import static dev.marketdata.sources.provider.JsonItems.object;
import static dev.marketdata.sources.provider.JsonItems.objectItem;
import static dev.marketdata.sources.provider.JsonItems.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketdata.sources.model.Fundamentals;
import dev.marketdata.sources.provider.ItemRejection;
import dev.marketdata.sources.provider.JsonItems;
import dev.marketdata.sources.provider.NewYorkCalendar;
import dev.marketdata.sources.provider.PageQuery;
import dev.marketdata.sources.provider.Provider;
import dev.marketdata.sources.provider.RejectedItem;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Polygon.io (Massive) fundamentals from the financials of companies' filings, {@code GET /vX/reference/financials},
 * as providers.md section 1.5 describes it.
 *
 * <ul>
 *   <li>Request: {@code ticker=<ticker>&filing_date.gte=<first day>&filing_date.lte=<last day>&order=asc
 *       &sort=filing_date&limit=100}, the New York days whose start lies in the job's window: the filings made in
 *       it (the day the figures became known). Then {@code next_url}'s path and query on the configured base URL.
 *   <li>Each result: {@code fiscal_year} (a string of digits), {@code fiscal_period} ({@code Q1}..{@code Q4},
 *       {@code FY}), {@code start_date}, {@code end_date} and {@code filing_date} (YYYY-MM-DD; the request selects
 *       by it, so a result without it cannot be placed in the window) are required, else dead-lettered
 *       ({@code MISSING_FIELD} or {@code WRONG_TYPE}). A {@code timeframe} of {@code ttm} is stored as fiscal
 *       period {@code TTM} (Polygon sends its trailing twelve months with the fiscal period of their last
 *       quarter, which would otherwise take that quarter's key).
 *   <li>The symbol is the ticker asked for; a result whose {@code tickers} does not list it is dead-lettered
 *       {@link #OTHER_TICKER}.
 *   <li>Statement lines, each a data point's {@code value} (null when the line is absent, never invented):
 *       revenue {@code income_statement.revenues}, gross profit {@code gross_profit}, operating income
 *       {@code operating_income_loss}, net income {@code net_income_loss}, EPS
 *       {@code basic_earnings_per_share} and {@code diluted_earnings_per_share}; total assets
 *       {@code balance_sheet.assets}, total liabilities {@code liabilities}, equity
 *       {@code equity_attributable_to_parent}; operating cash flow
 *       {@code cash_flow_statement.net_cash_flow_from_operating_activities}.
 *   <li>Currency: the {@code unit} of the amounts (e.g. {@code USD}; an EPS unit reads {@code USD / shares}). All
 *       lines must share it, else {@link #MIXED_UNITS}; a record without any line has no currency
 *       ({@code MISSING_FIELD}).
 *   <li>{@code provider} is {@code polygon}.
 * </ul>
 *
 * <p>Lookup, errors, authentication, request rate and paging: {@link PolygonPageProtocol}.
 */
public final class PolygonFinancialsProtocol extends PolygonPageProtocol<Fundamentals> {

    private static final long serialVersionUID = 1L;

    /** {@code limit}'s maximum for financials. */
    public static final int MAX_LIMIT = 100;

    /** Reason code: a result about other tickers than the one asked for. */
    public static final String OTHER_TICKER = "OTHER_TICKER";

    /** Reason code: the statement lines of one result are in different currencies. */
    public static final String MIXED_UNITS = "MIXED_UNITS";

    @Override
    public String dataset() {
        return "fundamentals";
    }

    @Override
    String firstPage(PageQuery query) {
        return "/vX/reference/financials?ticker=" + PolygonProtocol.segment(query.providerId()) + "&filing_date.gte="
                + firstDay(query.from()) + "&filing_date.lte=" + lastDay(query.to())
                + "&order=asc&sort=filing_date&limit=" + MAX_LIMIT;
    }

    /** The first New York day that starts at or after {@code from}. */
    static LocalDate firstDay(Instant from) {
        ZonedDateTime at = from.atZone(NewYorkCalendar.NEW_YORK);
        LocalDate day = at.toLocalDate();
        return at.equals(day.atStartOfDay(NewYorkCalendar.NEW_YORK)) ? day : day.plusDays(1);
    }

    /** The last New York day that starts before {@code to}. */
    static LocalDate lastDay(Instant to) {
        return to.minusNanos(1).atZone(NewYorkCalendar.NEW_YORK).toLocalDate();
    }

    /** The start of the filing day in New York, by which the request chose the record. */
    @Override
    public Instant timeOf(Fundamentals record) {
        return record.filingDate().atStartOfDay(NewYorkCalendar.NEW_YORK).toInstant();
    }

    @Override
    Fundamentals read(PageQuery query, JsonNode item) {
        String ticker = query.ticker();
        objectItem(item, "a result");
        JsonNode tickers = item.get("tickers");
        if (tickers != null && !tickers.isNull()) {
            List<String> listed = JsonItems.strings(item, "tickers");
            if (!listed.contains(ticker)) {
                throw new ItemRejection(OTHER_TICKER, "tickers " + listed + " do not list " + ticker);
            }
        }
        String year = text(item, "fiscal_year", true);
        if (!year.matches("[0-9]{1,9}")) {
            throw ItemRejection.wrongType("fiscal_year is not a year: " + year);
        }
        String period = text(item, "fiscal_period", true);
        if ("ttm".equals(text(item, "timeframe", false))) {
            period = "TTM";
        }
        LocalDate start = date(item, "start_date", true);
        LocalDate end = date(item, "end_date", true);
        LocalDate filed = date(item, "filing_date", true);
        JsonNode financials = object(item, "financials", false);
        Lines lines = new Lines(financials);
        Double revenue = lines.value("income_statement", "revenues");
        Double grossProfit = lines.value("income_statement", "gross_profit");
        Double operatingIncome = lines.value("income_statement", "operating_income_loss");
        Double netIncome = lines.value("income_statement", "net_income_loss");
        Double epsBasic = lines.value("income_statement", "basic_earnings_per_share");
        Double epsDiluted = lines.value("income_statement", "diluted_earnings_per_share");
        Double assets = lines.value("balance_sheet", "assets");
        Double liabilities = lines.value("balance_sheet", "liabilities");
        Double equity = lines.value("balance_sheet", "equity_attributable_to_parent");
        Double operatingCash = lines.value("cash_flow_statement", "net_cash_flow_from_operating_activities");
        return new Fundamentals(
                ticker,
                Integer.parseInt(year),
                period,
                start,
                end,
                filed,
                revenue,
                grossProfit,
                operatingIncome,
                netIncome,
                epsBasic,
                epsDiluted,
                assets,
                liabilities,
                equity,
                operatingCash,
                lines.currency(),
                Provider.POLYGON.id());
    }

    /** The data points of one result's {@code financials}, and the one currency they share. */
    private static final class Lines {
        private final JsonNode financials;
        private final List<String> currencies = new ArrayList<>();

        Lines(JsonNode financials) {
            this.financials = financials;
        }

        Double value(String statement, String line) {
            if (financials == null) {
                return null;
            }
            JsonNode section = object(financials, statement, false);
            if (section == null) {
                return null;
            }
            JsonNode point = object(section, line, false);
            if (point == null) {
                return null;
            }
            String name = statement + "." + line;
            JsonNode value = point.get("value");
            if (value == null || value.isNull()) {
                throw ItemRejection.missing(name + ".value");
            }
            if (!value.isNumber()) {
                throw ItemRejection.wrongType(name + ".value is not a number: " + value);
            }
            String unit = point.path("unit").isTextual() ? point.get("unit").asText() : null;
            if (unit == null) {
                throw ItemRejection.missing(name + ".unit");
            }
            // Per-share lines read "USD / shares": their currency is the part before the slash.
            String currency =
                    unit.contains("/") ? unit.substring(0, unit.indexOf('/')).trim() : unit.trim();
            if (!currencies.isEmpty() && !currencies.get(0).equals(currency)) {
                throw new ItemRejection(
                        MIXED_UNITS, "statement lines in " + currencies.get(0) + " and " + unit + " (" + name + ")");
            }
            currencies.add(currency);
            return value.asDouble();
        }

        String currency() {
            if (currencies.isEmpty()) {
                throw new ItemRejection(
                        RejectedItem.MISSING_FIELD,
                        "no statement line, so no currency (financials holds none of the stored lines)");
            }
            return currencies.get(0);
        }
    }
}
