package dev.keelson.nodeagent.runtime;

/** What a container uses now: CPU in billionths of a core, and memory in bytes. */
public record Usage(long nanoCores, long memoryBytes) {}
