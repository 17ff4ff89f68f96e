package dev.keelson.reconcilers.job;

import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The completion indexes of an Indexed Job in the form of {@code status.completedIndexes}: sorted,
 * with runs of consecutive indexes written as ranges ({@code "1,3-5,7"}).
 */
final class CompletionIndexes {

  static final String ANNOTATION = "batch.kubernetes.io/job-completion-index";

  private CompletionIndexes() {}

  /**
   * The indexes below {@code completions} that {@code text} lists (what does not parse is left
   * out).
   */
  static NavigableSet<Integer> parse(String text, int completions) {
    NavigableSet<Integer> indexes = new TreeSet<>();
    if (text == null || text.isBlank()) {
      return indexes;
    }
    for (String part : text.split(",")) {
      try {
        int dash = part.indexOf('-');
        int from = Integer.parseInt((dash < 0 ? part : part.substring(0, dash)).trim());
        int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
        for (int i = Math.max(0, from); i <= to && i < completions; i++) {
          indexes.add(i);
        }
      } catch (NumberFormatException e) {
        // upstream skips what it cannot read, too
      }
    }
    return indexes;
  }

  static String format(NavigableSet<Integer> indexes) {
    StringBuilder text = new StringBuilder();
    Integer start = null;
    Integer last = null;
    for (int i : indexes) {
      if (last != null && i == last + 1) {
        last = i;
        continue;
      }
      append(text, start, last);
      start = i;
      last = i;
    }
    append(text, start, last);
    return text.toString();
  }

  private static void append(StringBuilder text, Integer start, Integer last) {
    if (start == null) {
      return;
    }
    if (text.length() > 0) {
      text.append(',');
    }
    text.append(start);
    if (!last.equals(start)) {
      text.append('-').append(last);
    }
  }

  /** A pod's index from its annotation, or null when it has none that parses. */
  static Integer of(String annotation) {
    if (annotation == null) {
      return null;
    }
    try {
      int index = Integer.parseInt(annotation);
      return index >= 0 ? index : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
