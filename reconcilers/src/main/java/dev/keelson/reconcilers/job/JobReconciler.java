package dev.keelson.reconcilers.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import dev.keelson.reconcilers.ControlContext;
import dev.keelson.reconcilers.control.ClusterWriter;
import dev.keelson.reconcilers.control.Controller;
import dev.keelson.reconcilers.control.Outcome;
import dev.keelson.reconcilers.control.Reconciler;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Upstream's Job controller for batch/v1 Jobs (NonIndexed and Indexed): runs pods from the Job's
 * template until {@code completions} of them succeeded, {@code parallelism} at a time, replacing
 * failed ones after a back-off until {@code backoffLimit}; fails the Job past that limit or past
 * {@code activeDeadlineSeconds}, deleting what still runs. A sync reads the Job and its pods,
 * decides ({@link JobSync}), deletes or creates pods, then writes the status.
 */
public final class JobReconciler implements Reconciler {

  /** Upstream's name for the controller, in events and as the writer of its changes. */
  public static final String COMPONENT = "job-controller";

  static final GroupKind JOB = new GroupKind("batch", "Job");

  private final Projection projection;
  private final JobWrites writes;
  private final ClusterWriter writer;
  private final Expectations expectations;
  private final PodFailureBackoff backoff;
  private final Clock clock;

  JobReconciler(ControlContext context, PodFailureBackoff backoff) {
    this.projection = context.projection();
    this.writer = context.writerAs(COMPONENT);
    this.expectations = new Expectations();
    this.writes = new JobWrites(writer, context.events(COMPONENT), expectations);
    this.backoff = backoff;
    this.clock = context.clock();
  }

  public static Controller controller(ControlContext context) {
    JobReconciler jobs = new JobReconciler(context, PodFailureBackoff.UPSTREAM);
    return Controller.builder("job", JOB, jobs)
        .watch(JobPods.POD, jobs::podChanged)
        .concurrency(5)
        .build();
  }

  @Override
  public CompletionStage<Outcome> reconcile(ResourceKey key) {
    StoredObject stored = projection.get(key).orElse(null);
    if (stored == null) {
      expectations.forget(key);
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    ObjectNode job = stored.object();
    JobView view = JobView.of(job);
    if (view.finished()) {
      return CompletableFuture.completedFuture(Outcome.DONE);
    }
    // Expectations first: a pod that shows up after this must not count as unexpected.
    boolean satisfied = expectations.satisfied(key);
    List<JobPod> pods = JobPods.of(projection, job);
    JobPlan plan = JobSync.decide(view, pods, clock.instant(), satisfied, backoff);
    if (!plan.delete().isEmpty() || plan.create() > 0) {
      expectations.expect(key, plan.create(), plan.delete().size());
    }
    return writes
        .delete(key, job, plan.delete())
        .thenCompose(v -> writes.create(key, job, plan.create(), plan.indexes()))
        .thenCompose(
            created ->
                writes
                    .status(
                        stored,
                        plan,
                        plan.active() - (plan.create() - created.count()),
                        writer.now())
                    .thenApply(v -> created))
        .thenApply(
            created -> {
              if (created.failure() != null) {
                throw new CompletionException(created.failure());
              }
              recordFinished(job, plan);
              return plan.requeueAfter() != null
                  ? Outcome.requeueAfter(plan.requeueAfter())
                  : Outcome.DONE;
            });
  }

  private void recordFinished(ObjectNode job, JobPlan plan) {
    JobPlan.Event event = plan.event();
    if (event != null) {
      if (event.warning()) {
        writes.events().warning(job, event.reason(), event.message());
      } else {
        writes.events().normal(job, event.reason(), event.message());
      }
    }
  }

  /**
   * A pod's change queues the Job that controls it (before and after), and tells the expectations
   * of that Job what was seen: a creation, or the start of a deletion.
   */
  Collection<ResourceKey> podChanged(WatchEvent event) {
    Set<ResourceKey> keys = new LinkedHashSet<>();
    ResourceKey job = JobPods.controller(event.object());
    if (job != null) {
      keys.add(job);
      switch (event.type()) {
        case ADDED -> expectations.creationObserved(job);
        case DELETED -> {
          if (!JobPods.deleting(event.object())) {
            expectations.deletionObserved(job);
          }
        }
        case MODIFIED -> {
          if (event.previous() != null
              && !JobPods.deleting(event.previous())
              && JobPods.deleting(event.object())) {
            expectations.deletionObserved(job);
          }
        }
      }
    }
    if (event.previous() != null) {
      ResourceKey before = JobPods.controller(event.previous());
      if (before != null) {
        keys.add(before);
      }
    }
    return keys;
  }
}
