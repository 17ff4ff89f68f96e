package dev.keelson.nodeagent.runtime;

/**
 * A container port published on the node: {@code hostPort} 0 asks for a dynamic port, which the
 * runtime reports once the sandbox runs.
 */
public record PortMapping(int containerPort, String protocol, String hostIp, int hostPort) {}
