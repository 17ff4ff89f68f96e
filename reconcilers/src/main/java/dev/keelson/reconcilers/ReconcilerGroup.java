package dev.keelson.reconcilers;

import dev.keelson.reconcilers.control.Controller;
import dev.keelson.reconcilers.leader.LeaderElector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Controllers that run together while their process holds one leader Lease (the controller
 * manager's, or the scheduler's). Each time leadership is won they are built afresh, so no state of
 * an earlier term (an expectation, a cache) outlives it; when it is lost they stop at once.
 */
public final class ReconcilerGroup implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerGroup.class);

  private final String name;
  private final ControlContext context;
  private final Supplier<List<Controller>> controllers;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final ScheduledExecutorService leaderTimer;
  private final LeaderElector elector;
  private final List<Controller> running = new ArrayList<>();

  /**
   * @param leaseName the Lease in kube-system that elects this group's leader
   * @param workerThreads threads that run reconciles (they never block)
   */
  public ReconcilerGroup(
      String name,
      String leaseName,
      ControlContext context,
      int workerThreads,
      Supplier<List<Controller>> controllers) {
    this.name = name;
    this.context = context;
    this.controllers = controllers;
    this.workers = Executors.newFixedThreadPool(workerThreads, threads(name + "-reconcile"));
    this.timer = Executors.newSingleThreadScheduledExecutor(threads(name + "-timer"));
    this.leaderTimer = Executors.newSingleThreadScheduledExecutor(threads(name + "-leader"));
    this.elector =
        new LeaderElector(
            context.writerAs(name),
            "kube-system",
            leaseName,
            context.instance(),
            context.settings().leaderTiming(),
            leaderTimer,
            new LeaderElector.Callbacks() {
              @Override
              public void startedLeading() {
                startControllers();
              }

              @Override
              public void stoppedLeading() {
                stopControllers();
              }
            });
  }

  public void start() {
    elector.start();
  }

  public boolean isLeader() {
    return elector.isLeader();
  }

  /** The controllers running now (none unless leading). */
  public synchronized List<Controller> controllers() {
    return List.copyOf(running);
  }

  private synchronized void startControllers() {
    for (Controller controller : controllers.get()) {
      controller.start(context.projection(), workers, timer);
      running.add(controller);
    }
    LOG.info("{}: {} controllers started", name, running.size());
  }

  private synchronized void stopControllers() {
    running.forEach(Controller::close);
    running.clear();
  }

  @Override
  public void close() {
    elector.close();
    stopControllers();
    leaderTimer.shutdownNow();
    workers.shutdown();
    timer.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
