package dev.marketdata.job.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricsAndNothingElse() {
        assertThat(PromQl.metricNames("sum by (dataset, reason) (rate(flink_a_deadLetters{job_name=~\"$job\", "
                        + "reason!=\"x{y}\"}[5m])) > 1"))
                .containsExactly("flink_a_deadLetters");
        assertThat(PromQl.metricNames("flink_jobmanager_numRunningJobs < 1\n  or\nmax by (job_id) "
                        + "(flink_jobmanager_job_runningTime) == 0"))
                .containsExactly("flink_jobmanager_numRunningJobs", "flink_jobmanager_job_runningTime");
        assertThat(PromQl.metricNames("(time() - m_ts / 1000) > 50 and on (job_id) m_running > 6e4"))
                .containsExactly("m_ts", "m_running");
        assertThat(PromQl.metricNames("max_over_time(timestamp(changes(m_a[15s]) > 0)[1h:5s]) offset 5m"))
                .containsExactly("m_a");
        assertThat(PromQl.metricNames("a * on (x) group_left (y) b + ignoring(z) c"))
                .containsExactly("a", "b", "c");
        assertThat(PromQl.metricNames("label_values(flink_jobmanager_job_runningTime, job_name)"))
                .containsExactly("flink_jobmanager_job_runningTime");
        assertThat(PromQl.metricNames("histogram_quantile(0.99, rate(x_bucket[$__rate_interval]))"))
                .containsExactly("x_bucket");
    }

    @Test
    void anUnknownWordCountsAsAMetricName() {
        assertThat(PromQl.metricNames("rate(flink_typo_rowsWriten[1m]) by_mistake"))
                .containsExactly("flink_typo_rowsWriten", "by_mistake");
    }
}
