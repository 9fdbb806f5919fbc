-- The dead-letter queue as a table (--dlq-destination table). A write-stage dead letter is inserted in the same
-- transaction as the rows of its batch, so it is stored exactly when they are. letter_key is a hash of what the
-- letter says (data set, stage, reason, record): a replayed letter lands on the one already there.
CREATE TABLE IF NOT EXISTS dead_letters (
    letter_key   uuid        PRIMARY KEY,
    dataset      text        NOT NULL,
    stage        text        NOT NULL,
    reason       text        NOT NULL,
    message      text,
    record       jsonb,
    raw          text,
    raw_encoding text,
    origin       text,
    rejected_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS dead_letters_dataset_reason ON dead_letters (dataset, reason);
