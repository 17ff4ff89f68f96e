package dev.keelson.bench.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The API write benchmark's table: one row per target, clients and operation, Keelson's rows beside
 * etcd's with the ratio Keelson/etcd of throughput and of p99 latency.
 */
public final class ResultTable {

  private static final String[] HEADER = {
    "target", "clients", "op", "writes/s", "p50 ms", "p99 ms", "not accepted", "keelson/etcd"
  };

  private ResultTable() {}

  static String render(List<PhaseResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (PhaseResult r : results) {
      rows.add(
          new String[] {
            r.target,
            Integer.toString(r.clients),
            r.op,
            String.format(Locale.ROOT, "%,.0f", r.writesPerSecond()),
            millis(r.percentileMillis(50)),
            millis(r.percentileMillis(99)),
            String.format(Locale.ROOT, "%,d", r.notAccepted()),
            ratio(r, results)
          });
    }
    return markdown(rows);
  }

  /** On a Keelson row: writes/s and p99 of Keelson divided by etcd's at the same load. */
  static String ratio(PhaseResult row, List<PhaseResult> results) {
    if (!row.target.equals("keelson")) return "";
    for (PhaseResult other : results) {
      if (other.target.equals("etcd") && other.clients == row.clients && other.op.equals(row.op)) {
        return String.format(
            Locale.ROOT,
            "%.2fx writes/s, %.2fx p99",
            row.writesPerSecond() / other.writesPerSecond(),
            row.percentileMillis(99) / other.percentileMillis(99));
      }
    }
    return "";
  }

  static String millis(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
  }

  /** A Markdown table, columns padded to their widest cell; the first row is the header. */
  public static String markdown(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows)
      for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      out.append('|');
      for (int i = 0; i < widths.length; i++)
        out.append(' ').append(String.format("%-" + widths[i] + "s", rows.get(r)[i])).append(" |");
      out.append('\n');
      if (r == 0) {
        out.append('|');
        for (int w : widths) out.append('-').append("-".repeat(w)).append("-|");
        out.append('\n');
      }
    }
    return out.toString();
  }
}
