package dev.keelson.nodeagent.runtime.simulated;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out numbers of a range (pod IPs, dynamic host ports) so that no two in use are equal. It
 * goes round the range from where it last stopped, as Docker's port allocator does, so a number
 * just released is not handed out again at once. Not thread-safe: the runtime holds its lock.
 */
final class Allocator {

  private final int first;
  private final int last;
  private final Set<Integer> used = new HashSet<>();
  private int next;

  Allocator(int first, int last) {
    this.first = first;
    this.last = last;
    this.next = first;
  }

  /** A number of the range that is not in use, now in use. */
  int allocate() {
    for (int tried = 0; tried <= last - first; tried++) {
      int candidate = next;
      next = next == last ? first : next + 1;
      if (used.add(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("all of " + first + ".." + last + " are in use");
  }

  /** Takes {@code number} as asked for; false when it is in use already. */
  boolean claim(int number) {
    return used.add(number);
  }

  void release(int number) {
    used.remove(number);
  }
}
