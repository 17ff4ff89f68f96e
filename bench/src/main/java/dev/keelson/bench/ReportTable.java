package dev.keelson.bench;

import java.util.ArrayList;
import java.util.List;

/** The table a benchmark prints at the end: a header, then its rows, columns as wide as needed. */
public final class ReportTable {

  private ReportTable() {}

  public static void print(String[] header, List<String[]> rows) {
    int[] widths = new int[header.length];
    List<String[]> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (String[] row : all) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    System.out.println();
    for (int r = 0; r < all.size(); r++) {
      StringBuilder line = new StringBuilder("|");
      for (int i = 0; i < header.length; i++) {
        line.append(' ').append(String.format("%-" + widths[i] + "s", all.get(r)[i])).append(" |");
      }
      System.out.println(line);
      if (r == 0) {
        StringBuilder rule = new StringBuilder("|");
        for (int w : widths) {
          rule.append('-').append("-".repeat(w)).append("-|");
        }
        System.out.println(rule);
      }
    }
  }
}
