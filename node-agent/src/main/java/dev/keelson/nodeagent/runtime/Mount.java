package dev.keelson.nodeagent.runtime;

/** A host path bound into a container. */
public record Mount(String hostPath, String containerPath, boolean readOnly) {}
