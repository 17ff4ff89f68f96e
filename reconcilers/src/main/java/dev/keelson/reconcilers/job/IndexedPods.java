package dev.keelson.reconcilers.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;

/**
 * The choices particular to an Indexed Job, where each of its {@code completions} indexes must
 * succeed once: which indexes have, which active pods are surplus (an index run twice, one already
 * succeeded, one out of range), and which indexes to start next (the lowest pending ones).
 */
final class IndexedPods {

  private IndexedPods() {}

  /** The indexes the status already counts, and those of pods that succeeded since. */
  static NavigableSet<Integer> succeeded(JobView job, List<JobPod> pods) {
    int completions = job.completions();
    NavigableSet<Integer> indexes = CompletionIndexes.parse(job.completedIndexes(), completions);
    for (JobPod pod : pods) {
      if (pod.succeeded() && pod.index() != null && pod.index() < completions) {
        indexes.add(pod.index());
      }
    }
    return indexes;
  }

  /**
   * Active pods that should not run: without a valid index, for an index that succeeded already, or
   * a second pod for the same index (the one upstream's order would remove last is kept).
   */
  static List<JobPod> surplus(List<JobPod> active, Set<Integer> succeeded, int completions) {
    List<JobPod> surplus = new ArrayList<>();
    Set<Integer> kept = new HashSet<>();
    List<JobPod> best = active.stream().sorted(JobPod.REMOVAL_ORDER.reversed()).toList();
    for (JobPod pod : best) {
      Integer index = pod.index();
      if (index == null || index >= completions || succeeded.contains(index) || !kept.add(index)) {
        surplus.add(pod);
      }
    }
    return surplus;
  }

  /**
   * Up to {@code count} of the lowest indexes neither succeeded nor held by one of {@code pods}.
   */
  static List<Integer> pending(
      int count, int completions, Set<Integer> succeeded, Collection<JobPod> pods) {
    Set<Integer> held = new HashSet<>();
    pods.forEach(p -> held.add(p.index()));
    List<Integer> pending = new ArrayList<>(count);
    for (int i = 0; i < completions && pending.size() < count; i++) {
      if (!succeeded.contains(i) && !held.contains(i)) {
        pending.add(i);
      }
    }
    return pending;
  }
}
