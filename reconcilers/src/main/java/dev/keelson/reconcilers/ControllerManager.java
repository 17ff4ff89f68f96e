package dev.keelson.reconcilers;

import dev.keelson.reconcilers.control.Controller;
import java.util.ArrayList;
import java.util.List;

/**
 * The controllers of the controller manager, and the scheduler, each as a {@link ReconcilerGroup}
 * with a leader Lease of its own (kube-system/keelson-controller-manager and
 * kube-system/keelson-scheduler), as upstream runs them.
 */
public final class ControllerManager {

  public static final String CONTROLLER_MANAGER = "controller-manager";
  public static final String SCHEDULER = "scheduler";

  private ControllerManager() {}

  /** Every controller of the controller manager. */
  public static ReconcilerGroup controllers(ControlContext context) {
    return new ReconcilerGroup(
        CONTROLLER_MANAGER,
        "keelson-controller-manager",
        context,
        2,
        () -> controllerList(context));
  }

  /** The scheduler. */
  public static ReconcilerGroup scheduler(ControlContext context) {
    return new ReconcilerGroup(
        SCHEDULER, "keelson-scheduler", context, 1, () -> schedulerList(context));
  }

  static List<Controller> controllerList(ControlContext context) {
    List<Controller> list = new ArrayList<>();
    list.add(dev.keelson.reconcilers.nodelifecycle.NodeLifecycleReconciler.controller(context));
    list.add(dev.keelson.reconcilers.podgc.PodGcReconciler.controller(context));
    list.add(dev.keelson.reconcilers.endpoints.EndpointsReconciler.controller(context));
    list.add(dev.keelson.reconcilers.namespace.NamespaceReconciler.controller(context));
    list.add(dev.keelson.reconcilers.serviceaccount.ServiceAccountReconciler.controller(context));
    list.add(dev.keelson.reconcilers.hpa.HpaReconciler.controller(context));
    list.add(dev.keelson.reconcilers.gc.GarbageCollector.controller(context));
    list.add(dev.keelson.reconcilers.job.JobReconciler.controller(context));
    list.add(dev.keelson.reconcilers.replicaset.ReplicaSetReconciler.controller(context));
    list.add(dev.keelson.reconcilers.deployment.DeploymentReconciler.controller(context));
    return list;
  }

  static List<Controller> schedulerList(ControlContext context) {
    List<Controller> list = new ArrayList<>();
    list.add(dev.keelson.reconcilers.scheduler.SchedulerReconciler.controller(context));
    return list;
  }
}
