package dev.keelson.nodeagent.runtime;

import java.time.Instant;

/**
 * Which part of a container's log to read, as {@code kubectl logs} asks for it.
 *
 * @param follow keep streaming until the container stops or the reader closes
 * @param tailLines only the last lines, or null for all
 * @param timestamps prefix every line with its RFC 3339 time
 * @param since only lines written at or after this time, or null
 */
public record LogOptions(boolean follow, Integer tailLines, boolean timestamps, Instant since) {}
