package dev.keelson.bench.scheduler;

import dev.keelson.bench.api.ChildProcess;
import dev.keelson.bench.api.KeelsonProcess;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code keelson scheduler --kafka ADDRESS} as a process of its own: started, then up (its log
 * replayed into its projection; it prints its leader election identity), then leading (the Lease
 * kube-system/keelson-scheduler names it). Each stage's moment is kept, as System.nanoTime.
 */
final class SchedulerProcess implements AutoCloseable {

  static final String LEASE_NAMESPACE = "kube-system";
  static final String LEASE = "keelson-scheduler";
  private static final String RUNNING = "keelson scheduler is running as ";

  final ChildProcess process;
  final long startedNanos;
  private final Path log;
  private String identity;
  private long upNanos;
  private long leadingNanos;

  private SchedulerProcess(ChildProcess process, Path log, long startedNanos) {
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
  }

  static SchedulerProcess start(Path jar, String kafka, Path log) throws IOException {
    List<String> command = KeelsonProcess.command(jar, "scheduler", "--kafka", kafka);
    long started = System.nanoTime();
    return new SchedulerProcess(
        ChildProcess.start("keelson scheduler", command, log), log, started);
  }

  /** Waits until the process says it runs; false at the deadline. */
  boolean awaitUp(long deadlineNanos) throws InterruptedException {
    while (identity == null) {
      identity = identityInLog();
      if (identity != null) {
        upNanos = System.nanoTime();
        return true;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("keelson scheduler exited:\n" + process.tail());
      }
      if (System.nanoTime() > deadlineNanos) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Waits until the scheduler's Lease names this process; false at the deadline. */
  boolean awaitLeading(KubernetesClient client, long deadlineNanos) throws InterruptedException {
    while (!holds(client)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("keelson scheduler exited:\n" + process.tail());
      }
      if (System.nanoTime() > deadlineNanos) {
        return false;
      }
      Thread.sleep(50);
    }
    leadingNanos = System.nanoTime();
    return true;
  }

  private boolean holds(KubernetesClient client) {
    Lease lease = client.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE).get();
    return lease != null
        && lease.getSpec() != null
        && identity.equals(lease.getSpec().getHolderIdentity());
  }

  /** "keelson scheduler is running as HOST_UUID (kafka ...": the identity, or null. */
  private String identityInLog() {
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        int at = line.indexOf(RUNNING);
        if (at >= 0) {
          String rest = line.substring(at + RUNNING.length());
          int end = rest.indexOf(' ');
          return end < 0 ? rest : rest.substring(0, end);
        }
      }
    } catch (IOException e) {
      // Not written yet.
    }
    return null;
  }

  long pid() {
    return process.pid();
  }

  /** Seconds from the start of the process to up, or NaN if it never was. */
  double secondsToUp() {
    return upNanos == 0 ? Double.NaN : (upNanos - startedNanos) / 1e9;
  }

  double secondsToLeading() {
    return leadingNanos == 0 ? Double.NaN : (leadingNanos - startedNanos) / 1e9;
  }

  /** Stops it with SIGTERM: a leader releases its Lease, so the next scheduler need not wait. */
  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
