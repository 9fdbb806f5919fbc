-- Reported figures per fiscal period. The key (symbol, fiscal_period, period_end) makes every write idempotent
-- and lets a restatement replace the figures it corrects; it includes period_end because a fiscal year has
-- four trailing-twelve-month (TTM) periods.
CREATE TABLE IF NOT EXISTS fundamentals (
    symbol              text             NOT NULL,
    fiscal_year         integer          NOT NULL,
    fiscal_period       text             NOT NULL,
    period_start        date             NOT NULL,
    period_end          date             NOT NULL,
    filing_date         date,
    revenue             double precision,
    gross_profit        double precision,
    operating_income    double precision,
    net_income          double precision,
    eps_basic           double precision,
    eps_diluted         double precision,
    total_assets        double precision,
    total_liabilities   double precision,
    shareholders_equity double precision,
    operating_cash_flow double precision,
    currency            text             NOT NULL,
    provider            text             NOT NULL,
    PRIMARY KEY (symbol, fiscal_period, period_end)
);
