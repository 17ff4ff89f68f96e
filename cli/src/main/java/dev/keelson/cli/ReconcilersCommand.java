package dev.keelson.cli;

import dev.keelson.apiserver.admission.ServiceRanges;
import dev.keelson.eventlog.KafkaChangeLog;
import dev.keelson.eventlog.KafkaSettings;
import dev.keelson.eventlog.TopicSetup;
import dev.keelson.eventlog.Topics;
import dev.keelson.projection.LogProjection;
import dev.keelson.projection.ProjectionOptions;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.ControlSettings;
import dev.keelson.reconcilers.ControllerManager;
import dev.keelson.reconcilers.ReconcilerGroup;
import dev.keelson.reconcilers.ReconcilersVerticle;
import dev.keelson.write.WritePath;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code keelson controllers} and {@code keelson scheduler}: one group of reconcilers in a process
 * of its own, against an external Kafka. It reads the log into its own projection and writes
 * through the same admission and append path as the API; of several such processes, the one that
 * holds the group's leader Lease acts.
 */
abstract class ReconcilersCommand implements Callable<Integer> {

  @Option(
      names = "--kafka",
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      required = true,
      description = "The Kafka cluster that holds Keelson's log (as keelson up --kafka).",
      defaultValue = "${env:KEELSON_KAFKA}")
  String kafka;

  @Mixin ControlOptions control;

  @Mixin ServiceOptions services;

  abstract String component();

  abstract Function<ControlContext, ReconcilerGroup> group();

  @Override
  public Integer call() throws Exception {
    if (kafka == null || kafka.isBlank()) {
      throw new IllegalArgumentException("--kafka is required (or set KEELSON_KAFKA)");
    }
    ControlSettings controlSettings = control.settings();
    ServiceRanges serviceRanges = services.ranges();
    Deque<AutoCloseable> started = new ArrayDeque<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          while (!started.isEmpty()) {
            try {
              started.pop().close();
            } catch (Exception e) {
              System.err.println("keelson: stopping failed: " + CliErrors.describe(e));
            }
          }
        };
    try {
      KafkaSettings settings = KafkaSettings.of(kafka.trim(), Topics.defaults());
      TopicSetup.ensure(settings);
      KafkaChangeLog log = KafkaChangeLog.open(settings, component());
      started.push(log);
      // Reconcilers serve no history: their projection keeps no index of it.
      LogProjection projection =
          LogProjection.start(log, ProjectionOptions.defaults().withoutHistory());
      started.push(projection);
      KafkaChangeLog heartbeats = KafkaChangeLog.openHeartbeats(settings, component());
      started.push(heartbeats);
      LogProjection leases =
          LogProjection.start(heartbeats, ProjectionOptions.defaults().withLastWriterWins());
      started.push(leases);
      KafkaChangeLog metricsLog = KafkaChangeLog.openMetrics(settings, component());
      started.push(metricsLog);
      // Samples churn: keep fewer of them in memory for watches than the change log's default.
      LogProjection metrics =
          LogProjection.start(
              metricsLog,
              ProjectionOptions.defaults()
                  .withLastWriterWins()
                  .withMemoryRecords(ControlPlane.METRICS_IN_MEMORY));
      started.push(metrics);
      projection.awaitRevision(log.endOffset().get(30, TimeUnit.SECONDS)).get(10, TimeUnit.MINUTES);
      leases
          .awaitRevision(heartbeats.endOffset().get(30, TimeUnit.SECONDS))
          .get(10, TimeUnit.MINUTES);
      metrics
          .awaitRevision(metricsLog.endOffset().get(30, TimeUnit.SECONDS))
          .get(10, TimeUnit.MINUTES);
      WritePath writes = new WritePath(log, projection, Clock.systemUTC());
      ControlContext context =
          ControlPlane.controlContext(
              projection, leases, metrics, writes, controlSettings, serviceRanges);
      Vertx vertx = Vertx.vertx();
      started.push(
          () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      ReconcilersVerticle verticle = new ReconcilersVerticle(group().apply(context));
      vertx
          .deployVerticle(verticle)
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      System.out.println(
          "keelson "
              + component()
              + " is running as "
              + context.instance()
              + " (kafka "
              + kafka.trim()
              + ", revision "
              + projection.revision()
              + "); it acts while it holds its leader Lease in kube-system");
      System.out.flush();
    } catch (Exception | Error e) {
      stop.run();
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.run();
                  stopped.countDown();
                },
                "keelson-stop"));
    stopped.await();
    return 0;
  }

  /** {@code keelson controllers}. */
  @Command(
      name = "controllers",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the controller manager (ReplicaSet, Deployment, Job, node lifecycle, endpoints,"
            + " garbage collector, namespace, service account, autoscaler) against an external"
            + " Kafka. Several may run: one leads at a time."
      })
  static final class Controllers extends ReconcilersCommand {
    @Override
    String component() {
      return ControllerManager.CONTROLLER_MANAGER;
    }

    @Override
    Function<ControlContext, ReconcilerGroup> group() {
      return ControllerManager::controllers;
    }
  }

  /** {@code keelson scheduler}. */
  @Command(
      name = "scheduler",
      mixinStandardHelpOptions = true,
      description = {
        "Runs the scheduler against an external Kafka. Several may run: one leads at a time."
      })
  static final class Scheduler extends ReconcilersCommand {
    @Override
    String component() {
      return ControllerManager.SCHEDULER;
    }

    @Override
    Function<ControlContext, ReconcilerGroup> group() {
      return ControllerManager::scheduler;
    }
  }
}
