package dev.marketdata.job.validate;

/**
 * Why a record was rejected.
 *
 * @param reason stable code, used as the {@code reason} metric label and in the dead-letter queue
 * @param message what exactly was wrong, for people
 */
public record Violation(String reason, String message) {}
