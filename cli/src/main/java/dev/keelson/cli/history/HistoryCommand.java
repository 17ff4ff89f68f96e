package dev.keelson.cli.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keelson.api.Json;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keelson history KIND/NAME}: who changed an object, and how, from the change log. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Shows every change of one object the log holds, oldest first: who asked, when, what the"
          + " change did (its JSON patch), and whether it was applied or rejected (a conflict, say)."
    })
public final class HistoryCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "KIND/NAME",
      description = "The object, as kubectl names it: deployment/web, deploy/web, nodes/n1, ...")
  String target;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Its namespace (default: the kubeconfig context's, else default).")
  String namespace;

  @Option(
      names = "--since",
      paramLabel = "REV|RFC3339",
      description = "Only changes from this revision (a resourceVersion) or time on.")
  String since;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "json|table",
      defaultValue = "table",
      description = "table (default) or json: the items as the API answers them.")
  String output;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig (default: $KUBECONFIG, else ~/.keelson/kubeconfig).")
  Path kubeconfig;

  @Override
  public Integer call() throws Exception {
    if (!output.equals("table") && !output.equals("json")) {
      throw new IllegalArgumentException("-o: " + output + " is not json or table");
    }
    Map<String, String> query = query();
    ClusterAccess access =
        ClusterAccess.read(
            kubeconfig != null ? kubeconfig : ClusterAccess.defaultKubeconfig(System.getenv()));
    query.put(
        "namespace",
        namespace != null
            ? namespace
            : access.namespace() != null ? access.namespace() : "default");
    List<JsonNode> items = new HistoryClient(access).items(query);
    if (output.equals("json")) {
      ArrayNode array = Json.mapper().createArrayNode();
      items.forEach(array::add);
      System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } else if (items.isEmpty()) {
      // As kubectl says "No resources found": on stderr, and no failure.
      System.err.println("No history of " + target + " in the log.");
    } else {
      HistoryTable.render(items).forEach(System.out::println);
    }
    return 0;
  }

  /** The query of KIND/NAME and --since; the namespace is added once the kubeconfig is read. */
  Map<String, String> query() {
    int slash = target.indexOf('/');
    if (slash <= 0 || slash == target.length() - 1 || target.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "give the object as KIND/NAME (for example deployment/web), not \"" + target + "\"");
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("kind", target.substring(0, slash));
    query.put("name", target.substring(slash + 1));
    if (since != null) {
      if (since.matches("[0-9]+")) {
        query.put("sinceRevision", since);
      } else {
        try {
          OffsetDateTime.parse(since, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "--since: \"" + since + "\" is neither a revision nor an RFC 3339 time");
        }
        query.put("sinceTime", since);
      }
    }
    return query;
  }
}
