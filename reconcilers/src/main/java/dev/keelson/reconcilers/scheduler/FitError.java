package dev.keelson.reconcilers.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Upstream's message for a pod no node fits ({@code FitError.Error()}): "0/N nodes are available: "
 * then each reason with the number of nodes it kept the pod off, as "count reason", sorted as
 * strings (Go's sort.Strings, so "10 x" comes before "2 y"), joined by ", ", and a full stop. A
 * reason found before any node was looked at (a PreFilter's) stands alone instead.
 */
public final class FitError {

  /** Upstream's message when there is no node at all. */
  public static final String NO_NODES = "no nodes available to schedule pods";

  private FitError() {}

  /** The message for {@code allNodes} nodes, {@code reasons} counting the nodes per reason. */
  public static String message(int allNodes, Map<String, Integer> reasons) {
    List<String> histogram = new ArrayList<>(reasons.size());
    reasons.forEach((reason, count) -> histogram.add(count + " " + reason));
    histogram.sort(null);
    StringBuilder message =
        new StringBuilder("0/").append(allNodes).append(" nodes are available:");
    if (!histogram.isEmpty()) {
      message.append(' ').append(String.join(", ", histogram)).append('.');
    }
    return message.toString();
  }

  /** The message when a PreFilter refused the pod before any node was looked at. */
  public static String preFilter(int allNodes, String reason) {
    return "0/" + allNodes + " nodes are available: " + reason + ".";
  }
}
