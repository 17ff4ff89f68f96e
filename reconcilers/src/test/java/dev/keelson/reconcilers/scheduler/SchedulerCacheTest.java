package dev.keelson.reconcilers.scheduler;

import static dev.keelson.reconcilers.scheduler.Fixtures.nodeJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.podJson;
import static dev.keelson.reconcilers.scheduler.Fixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.projection.ListResult;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache as state₁ + changes = state₂. */
class SchedulerCacheTest {

  private final SchedulerCache cache = new SchedulerCache();
  private long revision = 100;

  private static ObjectNode bound(String name, String node, String cpu) {
    ObjectNode pod = podJson(name, cpu, "1Gi");
    pod.with("spec").put("nodeName", node);
    return pod;
  }

  private SchedulerCache.Wake change(WatchEvent.Type type, ObjectNode object) {
    revision++;
    return cache.apply(new WatchEvent(type, stored(object, revision), null, revision));
  }

  private void load(List<ObjectNode> nodes, List<ObjectNode> pods) {
    cache.load(
        new ListResult(nodes.stream().map(n -> stored(n, 10)).toList(), revision),
        new ListResult(pods.stream().map(p -> stored(p, 10)).toList(), revision));
  }

  @Test
  void loadCountsTheBoundPodsThatStillRun() {
    ObjectNode done = bound("done", "n1", "1");
    done.with("status").put("phase", "Succeeded");
    load(
        List.of(nodeJson("n1", "4", "8Gi"), nodeJson("n2", "4", "8Gi")),
        List.of(
            bound("a", "n1", "1"), bound("b", "n1", "500m"), podJson("pending", "1", "1Gi"), done));
    assertThat(cache.nodes()).extracting(NodeInfo::name).containsExactlyInAnyOrder("n1", "n2");
    assertThat(cache.node("n1").requestedCpu()).isEqualTo(1500);
    assertThat(cache.node("n1").podCount()).isEqualTo(2);
    assertThat(cache.node("n2").podCount()).isZero();
  }

  @Test
  void podsComeAndGoWithTheirChanges() {
    load(List.of(nodeJson("n1", "4", "8Gi")), List.of());
    assertThat(change(WatchEvent.Type.ADDED, podJson("p", "1", "1Gi")))
        .isEqualTo(SchedulerCache.Wake.NONE);
    assertThat(cache.node("n1").podCount()).isZero();
    assertThat(change(WatchEvent.Type.MODIFIED, bound("p", "n1", "1")))
        .isEqualTo(SchedulerCache.Wake.AFFINITY);
    assertThat(cache.node("n1").requestedCpu()).isEqualTo(1000);
    ObjectNode running = bound("p", "n1", "1");
    running.with("status").put("phase", "Running");
    assertThat(change(WatchEvent.Type.MODIFIED, running)).isEqualTo(SchedulerCache.Wake.NONE);
    assertThat(cache.node("n1").podCount()).isEqualTo(1);
    ObjectNode succeeded = bound("p", "n1", "1");
    succeeded.with("status").put("phase", "Succeeded");
    assertThat(change(WatchEvent.Type.MODIFIED, succeeded)).isEqualTo(SchedulerCache.Wake.ALL);
    assertThat(cache.node("n1").podCount()).isZero();
    assertThat(cache.node("n1").requestedCpu()).isZero();
  }

  @Test
  void aDeletedPodFreesItsNode() {
    load(List.of(nodeJson("n1", "4", "8Gi")), List.of(bound("p", "n1", "1")));
    assertThat(change(WatchEvent.Type.DELETED, bound("p", "n1", "1")))
        .isEqualTo(SchedulerCache.Wake.ALL);
    assertThat(cache.node("n1").podCount()).isZero();
  }

  @Test
  void changesTheListsAlreadyHeldAreSkipped() {
    load(List.of(nodeJson("n1", "4", "8Gi")), List.of(bound("p", "n1", "1")));
    StoredObject old = stored(bound("p", "n1", "1"), 50);
    assertThat(cache.apply(new WatchEvent(WatchEvent.Type.DELETED, old, null, revision)))
        .isEqualTo(SchedulerCache.Wake.NONE);
    assertThat(cache.node("n1").podCount()).isEqualTo(1);
  }

  @Test
  void anAssumedPodCountsUntilItsBindingIsSeenAndAFailedOneIsForgotten() {
    load(List.of(nodeJson("n1", "4", "8Gi")), List.of());
    PodInfo p = PodInfo.parse(podJson("p", "1", "1Gi"), 1);
    cache.assume(p, cache.node("n1"));
    assertThat(cache.assumed(p.key())).isTrue();
    assertThat(cache.node("n1").requestedCpu()).isEqualTo(1000);
    // The pod's own earlier status write, seen late, leaves the assumption be.
    change(WatchEvent.Type.MODIFIED, podJson("p", "1", "1Gi"));
    assertThat(cache.node("n1").podCount()).isEqualTo(1);
    change(WatchEvent.Type.MODIFIED, bound("p", "n1", "1"));
    assertThat(cache.assumed(p.key())).isFalse();
    cache.forget(p);
    assertThat(cache.node("n1").podCount()).isEqualTo(1);

    PodInfo q = PodInfo.parse(podJson("q", "2", "1Gi"), 1);
    cache.assume(q, cache.node("n1"));
    assertThat(cache.node("n1").requestedCpu()).isEqualTo(3000);
    cache.forget(q);
    assertThat(cache.node("n1").requestedCpu()).isEqualTo(1000);
    assertThat(cache.nodeOf(q.key())).isNull();
  }

  @Test
  void aNodeHeartbeatIsNoNewsButALabelOrTaintIs() {
    load(List.of(nodeJson("n1", "4", "8Gi")), List.of());
    ObjectNode beat = nodeJson("n1", "4", "8Gi");
    beat.with("status")
        .withArray("conditions")
        .insertObject(0)
        .put("type", "MemoryPressure")
        .put("status", "False");
    assertThat(change(WatchEvent.Type.MODIFIED, beat)).isEqualTo(SchedulerCache.Wake.NONE);
    ObjectNode labelled = Fixtures.labels(nodeJson("n1", "4", "8Gi"), "{\"disk\": \"ssd\"}");
    assertThat(change(WatchEvent.Type.MODIFIED, labelled)).isEqualTo(SchedulerCache.Wake.ALL);
    assertThat(cache.node("n1").facts().labels()).containsEntry("disk", "ssd");
    ObjectNode bigger = nodeJson("n1", "8", "8Gi");
    assertThat(change(WatchEvent.Type.MODIFIED, bigger)).isEqualTo(SchedulerCache.Wake.ALL);
  }

  @Test
  void podsBoundToANodeNotYetSeenAreThereWhenItComes() {
    load(List.of(), List.of(bound("early", "n9", "1")));
    assertThat(cache.nodes()).isEmpty();
    assertThat(change(WatchEvent.Type.ADDED, nodeJson("n9", "4", "8Gi")))
        .isEqualTo(SchedulerCache.Wake.ALL);
    assertThat(cache.node("n9").requestedCpu()).isEqualTo(1000);
    change(WatchEvent.Type.DELETED, nodeJson("n9", "4", "8Gi"));
    assertThat(cache.nodes()).isEmpty();
    assertThat(cache.node("n9")).isNull();
  }

  @Test
  void removingANodeKeepsTheOthersListed() {
    load(
        List.of(nodeJson("a", "1", "1Gi"), nodeJson("b", "1", "1Gi"), nodeJson("c", "1", "1Gi")),
        List.of());
    change(WatchEvent.Type.DELETED, nodeJson("a", "1", "1Gi"));
    assertThat(cache.nodes()).extracting(NodeInfo::name).containsExactlyInAnyOrder("b", "c");
    change(WatchEvent.Type.DELETED, nodeJson("c", "1", "1Gi"));
    assertThat(cache.nodes()).extracting(NodeInfo::name).containsExactly("b");
    assertThat(cache.node("b")).isNotNull();
  }
}
