package dev.keelson.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The proxy ports of a Service: for each TCP port of a Service with a cluster IP, a port unique in
 * the cluster on which the proxy of every node listens for the pods of that node (they reach the
 * Service through the Docker bridge gateway at that port). The API server's admission allocates
 * them and records them in the annotation {@value #ANNOTATION} as a JSON list sorted by port, for
 * example {@code [{"port":80,"protocol":"TCP","proxyPort":20001}]}; the proxy reads them from it.
 */
public final class ProxyPorts {

  public static final String ANNOTATION = "keelson.dev/proxy-ports";

  /** The proxy port of one Service port. */
  public record Entry(int port, String protocol, int proxyPort) {}

  private ProxyPorts() {}

  /**
   * The entries the annotation of {@code service} holds, as written; empty when it has none or the
   * annotation is not such a list. Entries without a port or a proxy port are left out.
   */
  public static List<Entry> of(JsonNode service) {
    JsonNode value = service.path("metadata").path("annotations").path(ANNOTATION);
    return value.isTextual() ? parse(value.asText()) : List.of();
  }

  /**
   * The entries of an annotation's value (null for none); empty when it is not such a list. Entries
   * without a port or a proxy port are left out.
   */
  public static List<Entry> parse(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    JsonNode list;
    try {
      list = Json.mapper().readTree(value);
    } catch (JsonProcessingException e) {
      return List.of();
    }
    if (list == null || !list.isArray()) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>(list.size());
    for (JsonNode each : list) {
      int port = each.path("port").asInt(0);
      int proxyPort = each.path("proxyPort").asInt(0);
      if (port > 0 && proxyPort > 0) {
        entries.add(new Entry(port, each.path("protocol").asText("TCP"), proxyPort));
      }
    }
    return entries;
  }

  /** The annotation's value for {@code entries}: a JSON list sorted by port, then protocol. */
  public static String format(List<Entry> entries) {
    ArrayNode list = Json.mapper().createArrayNode();
    entries.stream()
        .sorted(Comparator.comparingInt(Entry::port).thenComparing(Entry::protocol))
        .forEach(
            e -> {
              ObjectNode entry = list.addObject();
              entry.put("port", e.port());
              entry.put("protocol", e.protocol());
              entry.put("proxyPort", e.proxyPort());
            });
    return Json.text(list);
  }
}
