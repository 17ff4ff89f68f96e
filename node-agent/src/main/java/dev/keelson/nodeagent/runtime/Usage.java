package dev.keelson.nodeagent.runtime;

import java.time.Instant;

/**
 * What a container uses, as read at {@code time}.
 *
 * @param nanoCores CPU now, in billionths of a core, as the runtime estimates it over its own short
 *     window
 * @param memoryBytes memory in use
 * @param cpuCoreNanoSeconds the CPU time the container has used since it started, in
 *     core-nanoseconds: a counter, from which the rate over any window between two readings follows
 */
public record Usage(long nanoCores, long memoryBytes, long cpuCoreNanoSeconds, Instant time) {}
