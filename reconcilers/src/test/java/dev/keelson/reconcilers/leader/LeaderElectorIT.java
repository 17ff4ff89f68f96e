package dev.keelson.reconcilers.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.Actor;
import dev.keelson.broker.SharedKafka;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.write.AdmissionPolicy;
import dev.keelson.write.WritePath;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election through a Lease in the real log: of several electors exactly one leads, never two
 * at once, and the Lease passes on when the leader stops (at once when it releases it, after the
 * lease duration when it just vanishes).
 */
class LeaderElectorIT {

  private static final LeaderElector.Timing FAST =
      new LeaderElector.Timing(
          Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200));

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final AtomicInteger leading = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private KafkaSettings settings;
  private LogProjection projection;

  @BeforeEach
  void start() {
    settings =
        KafkaSettings.of(
            SharedKafka.bootstrapServers(),
            Topics.prefixed("t" + UUID.randomUUID().toString().substring(0, 8) + "."));
    TopicSetup.ensure(settings);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  /** A process of its own: its own connection to the log, projection and elector. */
  private record Candidate(LeaderElector elector, KafkaChangeLog log) {}

  private Candidate candidate(String identity) {
    KafkaChangeLog log = KafkaChangeLog.open(settings, identity);
    LogProjection own = LogProjection.start(log, ProjectionOptions.defaults());
    closing.add(log);
    closing.add(own);
    projection = own;
    ClusterWriter writer =
        new ClusterWriter(
            new WritePath(log, own, Clock.systemUTC()),
            AdmissionPolicy.NONE,
            Actor.system("test"),
            Clock.systemUTC());
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    LeaderElector elector =
        new LeaderElector(
            writer,
            "kube-system",
            "test-lease",
            identity,
            FAST,
            timer,
            new LeaderElector.Callbacks() {
              @Override
              public void startedLeading() {
                mostAtOnce.accumulateAndGet(leading.incrementAndGet(), Math::max);
              }

              @Override
              public void stoppedLeading() {
                leading.decrementAndGet();
              }
            });
    closing.add(timer::shutdownNow);
    closing.add(elector);
    elector.start();
    return new Candidate(elector, log);
  }

  private long leaders(List<Candidate> candidates) {
    return candidates.stream().filter(c -> c.elector().isLeader()).count();
  }

  @Test
  void exactlyOneOfThreeLeadsAndTheLeaseNamesIt() throws Exception {
    List<Candidate> candidates = List.of(candidate("a"), candidate("b"), candidate("c"));
    await().atMost(Duration.ofSeconds(10)).until(() -> leaders(candidates) == 1);
    // Several renewals later, still one, and it is the one the Lease names.
    Thread.sleep(1500);
    assertThat(leaders(candidates)).isEqualTo(1);
    Candidate leader = candidates.stream().filter(c -> c.elector().isLeader()).findFirst().get();
    String holder =
        projection
            .get(ResourceKey.of("coordination.k8s.io", "Lease", "kube-system", "test-lease"))
            .orElseThrow()
            .object()
            .path("spec")
            .path("holderIdentity")
            .asText();
    assertThat(holder).isEqualTo(leader.elector().identity());
    assertThat(mostAtOnce).hasValue(1);
  }

  @Test
  void aLeaderThatStopsCleanlyHandsOverAtOnce() {
    List<Candidate> candidates = List.of(candidate("a"), candidate("b"));
    await().atMost(Duration.ofSeconds(10)).until(() -> leaders(candidates) == 1);
    Candidate leader = candidates.stream().filter(c -> c.elector().isLeader()).findFirst().get();
    Candidate other = candidates.stream().filter(c -> c != leader).findFirst().get();
    long start = System.nanoTime();
    leader.elector().close();
    await().atMost(Duration.ofSeconds(10)).until(() -> other.elector().isLeader());
    // Released: no need to wait out the 2 s lease.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    assertThat(mostAtOnce).hasValue(1);
  }

  @Test
  void aLeaderCutOffFromTheLogStopsBeforeAnotherTakesOver() {
    List<Candidate> candidates = List.of(candidate("a"), candidate("b"));
    await().atMost(Duration.ofSeconds(10)).until(() -> leaders(candidates) == 1);
    Candidate leader = candidates.stream().filter(c -> c.elector().isLeader()).findFirst().get();
    Candidate other = candidates.stream().filter(c -> c != leader).findFirst().get();
    long start = System.nanoTime();
    // Its renewals fail from now on, but it keeps running: it must step down by itself (renew
    // deadline 1.5 s) before the other may take the Lease (2 s after it last saw it change).
    leader.log().close();
    await().atMost(Duration.ofSeconds(15)).until(() -> other.elector().isLeader());
    assertThat(leader.elector().isLeader()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertThat(mostAtOnce).hasValue(1);
  }
}
