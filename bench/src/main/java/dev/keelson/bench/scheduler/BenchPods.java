package dev.keelson.bench.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The benchmark's pods: keelson/busybox:1 sleeping an hour, requesting 100m CPU and 64Mi, without a
 * node, so the scheduler places every one. 5,000 nodes of 8 cores take 400,000 of them by CPU and
 * 550,000 by pod count: the scheduler never runs out of room.
 */
final class BenchPods {

  static final String NAMESPACE = "bench";

  /** Which part of the benchmark made a pod, to watch each part's pods apart. */
  static final String CASE_LABEL = "bench.keelson.dev/case";

  private BenchPods() {}

  static Pod pod(String name, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .withLabels(labels)
        .endMetadata()
        .withSpec(spec())
        .build();
  }

  static PodSpec spec() {
    return new PodSpecBuilder()
        .withTerminationGracePeriodSeconds(1L)
        .addNewContainer()
        .withName("sleep")
        .withImage("keelson/busybox:1")
        .withCommand("sleep", "3600")
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("64Mi"))
        .endResources()
        .endContainer()
        .build();
  }

  /** Creates pods {@code case-0 ... case-(count-1)} labelled with their case. */
  static ParallelCreates.Result create(KubernetesClient client, String caseName, int count)
      throws InterruptedException {
    Map<String, String> labels = Map.of(CASE_LABEL, caseName);
    return ParallelCreates.run(
        caseName + " pods",
        count,
        i ->
            client
                .pods()
                .inNamespace(NAMESPACE)
                .resource(pod("bench-" + caseName + "-" + i, labels))
                .create());
  }
}
