package dev.keelson.examples.deploymentimages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The view as a table, one line per image change, Deployments in name order. */
final class ImageTable {

  private static final List<String> HEADER =
      List.of("DEPLOYMENT", "REVISION", "TIME", "USER", "CONTAINER", "IMAGE");

  private ImageTable() {}

  static String render(DeploymentImages.State view) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Map.Entry<String, DeploymentImages.Deployment> deployment :
        view.deployments().entrySet()) {
      for (ImageChange change : deployment.getValue().history()) {
        rows.add(
            List.of(
                deployment.getKey(),
                Long.toString(change.revision()),
                orDash(change.time()),
                orDash(change.user()),
                change.image() == null ? "-" : change.container(),
                change.image() == null ? "(deleted)" : change.image()));
      }
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder table = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        boolean last = i == row.size() - 1;
        table.append(last ? row.get(i) : String.format("%-" + (widths[i] + 3) + "s", row.get(i)));
      }
      table.append('\n');
    }
    table.append(
        String.format(
            "%d records read, %d rejected attempts on Deployments ignored, %d records skipped%n",
            view.nextOffset(), view.rejected(), view.skipped()));
    return table.toString();
  }

  private static String orDash(String text) {
    return text == null ? "-" : text;
  }
}
