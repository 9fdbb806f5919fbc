package dev.marketdata.job.sink.table;

/**
 * A row's primary key in its table, at the stored precision: two records with equal keys are the same row. Each
 * table's keys are records of the key's columns, so equality is by value.
 */
public interface RowKey {}
