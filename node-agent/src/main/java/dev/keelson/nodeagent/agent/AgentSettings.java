package dev.keelson.nodeagent.agent;

import dev.keelson.nodeagent.node.NodePressure;
import dev.keelson.nodeagent.node.NodeResources;
import dev.keelson.nodeagent.pod.RestartBackoff;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How one node agent runs.
 *
 * @param resources the capacity and facts of the host the Node reports
 * @param labels labels of the Node beside the well-known ones
 * @param dataDir where the agent keeps the pods' volumes
 * @param sandboxImage the image a pod's infra container runs
 * @param listenHost the address the agent's own port (logs) listens on
 * @param listenPort that port, 0 for any
 * @param syncPeriod how often every pod is looked at
 * @param leaseRenewal how often the node's Lease is renewed (upstream: 10 s)
 * @param statusReport how often the Node's status is written when nothing changed
 * @param restarts the crash-loop back-off
 * @param pressure reads whether the host runs short of memory, disk or process ids
 * @param metricsPeriod how often the usage of the node's pods is published as PodMetrics and
 *     NodeMetrics (also the window the CPU rates are taken over)
 */
public record AgentSettings(
    String nodeName,
    NodeResources resources,
    Map<String, String> labels,
    Path dataDir,
    String sandboxImage,
    String listenHost,
    int listenPort,
    Duration syncPeriod,
    Duration leaseRenewal,
    Duration statusReport,
    RestartBackoff restarts,
    Supplier<NodePressure.PressureReading> pressure,
    Clock clock,
    Duration metricsPeriod) {

  /** The image `docker/build-images` makes, which every sandbox runs. */
  public static final String DEFAULT_SANDBOX_IMAGE = "keelson/busybox:1";

  public AgentSettings {
    labels = Map.copyOf(labels);
  }

  /** Upstream's periods, for the node {@code name} on {@code resources}'s host. */
  public static AgentSettings of(String name, NodeResources resources, Path dataDir) {
    return new AgentSettings(
        name,
        resources,
        Map.of(),
        dataDir,
        DEFAULT_SANDBOX_IMAGE,
        resources.address(),
        10250,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        RestartBackoff.standard(),
        () -> NodePressure.read(dataDir),
        Clock.systemUTC(),
        Duration.ofSeconds(10));
  }

  public AgentSettings withListen(String host, int port) {
    return new AgentSettings(
        nodeName,
        resources,
        labels,
        dataDir,
        sandboxImage,
        host,
        port,
        syncPeriod,
        leaseRenewal,
        statusReport,
        restarts,
        pressure,
        clock,
        metricsPeriod);
  }

  public AgentSettings withLabels(Map<String, String> labels) {
    return new AgentSettings(
        nodeName,
        resources,
        labels,
        dataDir,
        sandboxImage,
        listenHost,
        listenPort,
        syncPeriod,
        leaseRenewal,
        statusReport,
        restarts,
        pressure,
        clock,
        metricsPeriod);
  }

  public AgentSettings withPressure(Supplier<NodePressure.PressureReading> pressure) {
    return new AgentSettings(
        nodeName,
        resources,
        labels,
        dataDir,
        sandboxImage,
        listenHost,
        listenPort,
        syncPeriod,
        leaseRenewal,
        statusReport,
        restarts,
        pressure,
        clock,
        metricsPeriod);
  }

  public AgentSettings withRestarts(RestartBackoff restarts) {
    return new AgentSettings(
        nodeName,
        resources,
        labels,
        dataDir,
        sandboxImage,
        listenHost,
        listenPort,
        syncPeriod,
        leaseRenewal,
        statusReport,
        restarts,
        pressure,
        clock,
        metricsPeriod);
  }

  public AgentSettings withPeriods(Duration sync, Duration lease, Duration status) {
    return new AgentSettings(
        nodeName,
        resources,
        labels,
        dataDir,
        sandboxImage,
        listenHost,
        listenPort,
        sync,
        lease,
        status,
        restarts,
        pressure,
        clock,
        metricsPeriod);
  }

  public AgentSettings withMetricsPeriod(Duration period) {
    return new AgentSettings(
        nodeName,
        resources,
        labels,
        dataDir,
        sandboxImage,
        listenHost,
        listenPort,
        syncPeriod,
        leaseRenewal,
        statusReport,
        restarts,
        pressure,
        clock,
        period);
  }
}
