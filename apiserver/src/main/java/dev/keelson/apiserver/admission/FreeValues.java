package dev.keelson.apiserver.admission;

import java.util.OptionalInt;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Picks one of the free values of a range at random, as upstream's allocators do: random picks make
 * two writers that allocate at once unlikely to want the same value. A few random probes find one
 * while the range is mostly free; a crowded range is scanned, and one of its free values drawn.
 */
final class FreeValues {

  private static final int PROBES = 32;

  private FreeValues() {}

  /** An index below {@code size} that {@code free} accepts, drawn at random; empty when none is. */
  static OptionalInt pick(int size, IntPredicate free, RandomGenerator random) {
    if (size <= 0) {
      return OptionalInt.empty();
    }
    for (int i = 0; i < PROBES; i++) {
      int index = random.nextInt(size);
      if (free.test(index)) {
        return OptionalInt.of(index);
      }
    }
    int[] all = IntStream.range(0, size).filter(free).toArray();
    return all.length == 0 ? OptionalInt.empty() : OptionalInt.of(all[random.nextInt(all.length)]);
  }
}
