package dev.keelson.eventlog;

/**
 * One record as the log holds it: its offset, key and raw value. The value is bytes because the log
 * may hold records that Keelson did not write; {@link EnvelopeCodec} decides what they mean.
 */
public record LogRecord(long offset, String key, byte[] value, long timestampMillis) {}
