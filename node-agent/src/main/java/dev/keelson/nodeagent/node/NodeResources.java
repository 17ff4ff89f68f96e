package dev.keelson.nodeagent.node;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What a Node reports about its host: its capacity (CPU, memory, pods) and its nodeInfo. Read from
 * the host as cAdvisor reads it for the kubelet; the agent's flags may override the capacity.
 *
 * @param cpuMillis the CPUs, in thousandths
 * @param pods how many pods the node takes
 * @param address the address the node is reached at (status.addresses' InternalIP)
 * @param os the GOOS name ("linux"), as nodeInfo.operatingSystem and the kubernetes.io/os label
 * @param architecture the GOARCH name ("amd64", "arm64")
 * @param osImage the distribution, as /etc/os-release's PRETTY_NAME
 */
public record NodeResources(
    long cpuMillis,
    long memoryBytes,
    int pods,
    String hostname,
    String address,
    String os,
    String architecture,
    String kernelVersion,
    String osImage) {

  /** The kubelet's default of --max-pods. */
  public static final int DEFAULT_PODS = 110;

  /** This host, reached at {@code address}. */
  public static NodeResources ofHost(String address) {
    long memory =
        ProcText.read(Path.of("/proc/meminfo"))
            .map(text -> ProcText.meminfoBytes(text, "MemTotal"))
            .orElse(OptionalLong.empty())
            .orElseGet(NodeResources::jvmTotalMemory);
    return new NodeResources(
        Runtime.getRuntime().availableProcessors() * 1000L,
        memory,
        DEFAULT_PODS,
        hostHostname(),
        address,
        goOs(System.getProperty("os.name")),
        goArch(System.getProperty("os.arch")),
        ProcText.read(Path.of("/proc/sys/kernel/osrelease"))
            .map(String::trim)
            .orElse(System.getProperty("os.version")),
        ProcText.read(Path.of("/etc/os-release"))
            .map(NodeResources::prettyName)
            .orElse(System.getProperty("os.name")));
  }

  public NodeResources withCpu(long millis) {
    return new NodeResources(
        millis, memoryBytes, pods, hostname, address, os, architecture, kernelVersion, osImage);
  }

  public NodeResources withMemory(long bytes) {
    return new NodeResources(
        cpuMillis, bytes, pods, hostname, address, os, architecture, kernelVersion, osImage);
  }

  public NodeResources withPods(int pods) {
    return new NodeResources(
        cpuMillis, memoryBytes, pods, hostname, address, os, architecture, kernelVersion, osImage);
  }

  /** The node name upstream would default to: the kernel's host name, lowercased. */
  private static String hostHostname() {
    String name =
        ProcText.read(Path.of("/proc/sys/kernel/hostname"))
            .map(String::trim)
            .filter(text -> !text.isEmpty())
            .orElseGet(
                () -> {
                  try {
                    return InetAddress.getLocalHost().getHostName();
                  } catch (UnknownHostException e) {
                    return "localhost";
                  }
                });
    return name.toLowerCase(Locale.ROOT);
  }

  private static long jvmTotalMemory() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getTotalMemorySize()
        : Runtime.getRuntime().maxMemory();
  }

  /** Java's os.name as Go's GOOS. */
  static String goOs(String javaName) {
    String name = javaName.toLowerCase(Locale.ROOT);
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return "darwin";
    }
    if (name.startsWith("windows")) {
      return "windows";
    }
    return name.replace(" ", "");
  }

  /** Java's os.arch as Go's GOARCH, the names Kubernetes labels nodes with. */
  static String goArch(String javaArch) {
    String arch = javaArch.toLowerCase(Locale.ROOT);
    switch (arch) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
      case "i486":
      case "i586":
      case "i686":
        return "386";
      case "arm":
      case "arm32":
        return "arm";
      default:
        return arch; // ppc64le, s390x, riscv64 are named alike in Java and Go
    }
  }

  /** PRETTY_NAME of an os-release file, unquoted; "Linux" as cAdvisor answers without one. */
  static String prettyName(String osRelease) {
    for (String line : osRelease.split("\n")) {
      if (line.startsWith("PRETTY_NAME=")) {
        String value = line.substring("PRETTY_NAME=".length()).trim();
        if (value.length() >= 2
            && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return "Linux";
  }
}
