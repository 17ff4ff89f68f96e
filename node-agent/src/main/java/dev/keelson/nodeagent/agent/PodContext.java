package dev.keelson.nodeagent.agent;

import dev.keelson.nodeagent.pod.ConfigSource;
import dev.keelson.nodeagent.pod.RestartBackoff;
import dev.keelson.nodeagent.probe.Prober;
import dev.keelson.nodeagent.runtime.ContainerRuntime;
import dev.keelson.nodeagent.service.ServiceTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What every pod worker of one node shares.
 *
 * @param podsDir where the pods' volumes live on the host, one directory per pod uid
 * @param services the cluster's Services as the agent last read them
 * @param syncPeriod how often a pod is looked at when nothing tells the agent to
 * @param workers the threads that run syncs (runtime calls block)
 * @param timer schedules the next sync of a pod
 */
record PodContext(
    String nodeName,
    String hostIp,
    String sandboxImage,
    Path podsDir,
    ContainerRuntime runtime,
    String runtimeScheme,
    PodApi api,
    ConfigSource config,
    Supplier<ServiceTable> services,
    Prober prober,
    RestartBackoff restarts,
    RestartBackoff pulls,
    Clock clock,
    Duration syncPeriod,
    Executor workers,
    ScheduledExecutorService timer) {}
