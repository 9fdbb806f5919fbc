package dev.marketdata.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** bin/replay-dlq's table: its columns stay aligned whatever the data sets and reasons in it. */
class ReplayReportTest {

    @Test
    void aLongerDataSetNameWidensTheColumnInsteadOfShiftingItsRow() {
        DeadLetterReplay.Report report = new DeadLetterReplay.Report(true);
        report.row("bars", "HIGH_BELOW_LOW").selected = 22;
        report.row("fundamentals", "FILED_BEFORE_PERIOD_END").selected = 3;
        report.row("news", "MALFORMED_ID").selected = 1;

        assertThat(report.format()).isEqualTo("""
                dataset      reason                    to replay
                bars         HIGH_BELOW_LOW                   22
                fundamentals FILED_BEFORE_PERIOD_END           3
                news         MALFORMED_ID                      1
                26 dead letter(s) would be replayed
                """);
    }

    @Test
    void shortNamesKeepTheWidthsTheCommandAlwaysPrinted() {
        DeadLetterReplay.Report report = new DeadLetterReplay.Report(false);
        DeadLetterReplay.Report.Row row = report.row("bars", "23514");
        row.selected = 27;
        row.written = 25;
        row.stillFailing = 2;

        assertThat(report.format()).isEqualTo("""
                dataset    reason                    replayed   written  failed again  still failing
                bars       23514                           27        25             0              2
                27 dead letter(s) replayed
                """);
    }
}
