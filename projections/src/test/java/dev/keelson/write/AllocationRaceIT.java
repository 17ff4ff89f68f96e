package dev.keelson.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.api.ProxyPorts;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.projection.Claims;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.Projection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.TestLogs;
import dev.keelson.projection.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two writers (two API server replicas) allocate from one small range at once: the fold refuses
 * every record that takes a value another holds, and the write path admits those writes again, so
 * each ends with a value of its own.
 */
class AllocationRaceIT {

  private static final WriteContext CONTEXT = WriteContext.of(new Actor("tester", List.of()));
  private static final int FIRST = 20000;
  private static final int SERVICES = 10;

  /** Picks the lowest free proxy port, the choice most likely to collide with another writer's. */
  private static Admission lowestFree(Projection projection) {
    return (after, before) -> {
      for (int port = FIRST; port < FIRST + SERVICES + 2; port++) {
        if (projection.claimant(Claims.proxyPort(port)).isEmpty()) {
          Meta.metadata(after)
              .putObject("annotations")
              .put(
                  ProxyPorts.ANNOTATION,
                  ProxyPorts.format(List.of(new ProxyPorts.Entry(80, "TCP", port))));
          return;
        }
      }
      throw new WriteRefusedException(Rejection.INVALID, "range is full");
    };
  }

  @Test
  void racingAllocationsEndDistinctAndTheLosersAreAdmittedAgain() throws Exception {
    KafkaSettings settings = TestLogs.freshSettings();
    try (KafkaChangeLog log1 = TestLogs.open(settings);
        KafkaChangeLog log2 = TestLogs.open(settings);
        LogProjection replica1 = LogProjection.start(log1, ProjectionOptions.defaults());
        LogProjection replica2 = LogProjection.start(log2, ProjectionOptions.defaults())) {
      List<WritePath> paths =
          List.of(
              new WritePath(log1, replica1, Clock.systemUTC()),
              new WritePath(log2, replica2, Clock.systemUTC()));
      List<CompletableFuture<WriteResult>> creates = new ArrayList<>();
      for (int i = 0; i < SERVICES; i++) {
        WritePath path = paths.get(i % 2);
        creates.add(
            path.create(
                Objects.service("default", "svc-" + i, null, 0, 0),
                CONTEXT,
                lowestFree(path.projection())));
      }
      Set<Integer> ports = new HashSet<>();
      for (CompletableFuture<WriteResult> create : creates) {
        WriteResult result = create.get(60, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(WriteResult.Accepted.class);
        ObjectNode stored = ((WriteResult.Accepted) result).object().object();
        ports.add(ProxyPorts.of(stored).get(0).proxyPort());
      }
      assertThat(ports).hasSize(SERVICES);

      long end = log1.endOffset().get();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> replica1.revision() == end && replica2.revision() == end);
      int lost = 0;
      for (long offset = 0; offset < end; offset++) {
        if (replica1.verdict(offset).get() instanceof Verdict.Rejected r
            && r.reason() == Rejection.ALLOCATED) {
          lost++;
        }
      }
      assertThat(lost).as("records refused for a value another took").isPositive();
      assertThat(end).isEqualTo(SERVICES + lost);
      for (int port : ports) {
        assertThat(replica2.claimant(Claims.proxyPort(port)))
            .isEqualTo(replica1.claimant(Claims.proxyPort(port)))
            .isPresent();
      }
      ResourceKey first = ResourceKey.of("", "Service", "default", "svc-0");
      assertThat(replica2.get(first)).isEqualTo(replica1.get(first));
    }
  }
}
