package dev.keelson.apiserver.table;

import static dev.keelson.apiserver.table.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Services, Endpoints and EndpointSlices, as upstream's printService, printEndpoints, ... */
final class NetworkPrinters {

  private static final int MAX_LISTED = 3;

  private NetworkPrinters() {}

  static Printer services() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("Type", Docs.SERVICE_TYPE),
            Column.string("Cluster-IP", Docs.SERVICE_CLUSTER_IP),
            Column.string("External-IP", Docs.SERVICE_EXTERNAL_IPS),
            Column.string("Port(s)", Docs.SERVICE_PORTS),
            Column.objectAge(),
            Column.wide("Selector", Docs.SERVICE_SELECTOR)),
        NetworkPrinters::serviceCells);
  }

  static Printer endpoints() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("Endpoints", Docs.ENDPOINTS_SUBSETS),
            Column.objectAge()),
        (ep, now) ->
            List.of(text(ep.path("metadata").path("name")), endpointList(ep), Fields.age(ep, now)));
  }

  static Printer endpointSlices() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("AddressType", Docs.SLICE_ADDRESS_TYPE),
            Column.string("Ports", Docs.SLICE_PORTS),
            Column.string("Endpoints", Docs.SLICE_ENDPOINTS),
            Column.objectAge()),
        NetworkPrinters::sliceCells);
  }

  private static List<Object> serviceCells(JsonNode svc, Instant now) {
    JsonNode spec = svc.path("spec");
    String clusterIp = text(spec.path("clusterIPs").path(0));
    if (clusterIp.isEmpty()) {
      clusterIp = text(spec.path("clusterIP"));
    }
    List<String> ports = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      String protocol = text(p.path("protocol")).isEmpty() ? "TCP" : text(p.path("protocol"));
      long nodePort = p.path("nodePort").asLong(0);
      ports.add(p.path("port").asLong(0) + (nodePort > 0 ? ":" + nodePort : "") + "/" + protocol);
    }
    return List.of(
        text(svc.path("metadata").path("name")),
        type(spec),
        clusterIp.isEmpty() ? "<none>" : clusterIp,
        externalIp(svc),
        ports.isEmpty() ? "<none>" : String.join(",", ports),
        Fields.age(svc, now),
        Fields.labels(spec.path("selector")));
  }

  /** An unset type is ClusterIP: the API's defaulting puts it there before anything prints. */
  private static String type(JsonNode spec) {
    String type = text(spec.path("type"));
    return type.isEmpty() ? "ClusterIP" : type;
  }

  private static String externalIp(JsonNode svc) {
    JsonNode spec = svc.path("spec");
    List<String> externalIps = new ArrayList<>();
    spec.path("externalIPs").forEach(ip -> externalIps.add(ip.asText()));
    switch (type(spec)) {
      case "ClusterIP", "NodePort":
        return externalIps.isEmpty() ? "<none>" : String.join(",", externalIps);
      case "LoadBalancer":
        // A server-side Table is generated wide, so the list is never clipped here.
        TreeSet<String> ingress = new TreeSet<>();
        for (JsonNode i : svc.path("status").path("loadBalancer").path("ingress")) {
          if (!text(i.path("ip")).isEmpty()) {
            ingress.add(text(i.path("ip")));
          } else if (!text(i.path("hostname")).isEmpty()) {
            ingress.add(text(i.path("hostname")));
          }
        }
        if (!externalIps.isEmpty()) {
          List<String> all = new ArrayList<>(ingress);
          all.addAll(externalIps);
          return String.join(",", all);
        }
        return ingress.isEmpty() ? "<pending>" : String.join(",", ingress);
      case "ExternalName":
        return text(spec.path("externalName"));
      default:
        return "<unknown>";
    }
  }

  /** ip:port for the first three, then "+ N more...": upstream's formatEndpoints. */
  private static String endpointList(JsonNode ep) {
    JsonNode subsets = ep.path("subsets");
    if (subsets.isEmpty()) {
      return "<none>";
    }
    List<String> list = new ArrayList<>();
    boolean more = false;
    int count = 0;
    for (JsonNode subset : subsets) {
      JsonNode addresses = subset.path("addresses");
      JsonNode ports = subset.path("ports");
      if (ports.isEmpty()) {
        // A headless service may have no ports: list the bare addresses.
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (list.size() == MAX_LISTED) {
            more = true;
            break;
          }
          list.add(text(a.path("ip")));
        }
        continue;
      }
      for (JsonNode port : ports) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          if (list.size() == MAX_LISTED) {
            more = true;
            break;
          }
          list.add(hostPort(text(a.path("ip")), port.path("port").asLong(0)));
        }
      }
    }
    String joined = String.join(",", list);
    return more ? joined + " + " + (count - MAX_LISTED) + " more..." : joined;
  }

  /** Go's net.JoinHostPort: brackets around an IPv6 address. */
  private static String hostPort(String host, long port) {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  private static List<Object> sliceCells(JsonNode slice, Instant now) {
    List<String> ports = new ArrayList<>();
    int portCount = 0;
    for (JsonNode p : slice.path("ports")) {
      if (ports.size() < MAX_LISTED) {
        if (p.path("port").canConvertToLong()) {
          ports.add(Long.toString(p.path("port").asLong()));
        } else if (p.path("name").isTextual()) {
          ports.add(p.path("name").asText());
        } else {
          ports.add("*");
        }
      }
      portCount++;
    }
    List<String> addresses = new ArrayList<>();
    int addressCount = 0;
    for (JsonNode endpoint : slice.path("endpoints")) {
      for (JsonNode address : endpoint.path("addresses")) {
        if (addresses.size() < MAX_LISTED) {
          addresses.add(address.asText());
        }
        addressCount++;
      }
    }
    return List.of(
        text(slice.path("metadata").path("name")),
        text(slice.path("addressType")),
        listWithMore(ports, portCount),
        listWithMore(addresses, addressCount),
        Fields.age(slice, now));
  }

  private static String listWithMore(List<String> list, int count) {
    if (count > MAX_LISTED) {
      return String.join(",", list) + " + " + (count - MAX_LISTED) + " more...";
    }
    return list.isEmpty() ? "<unset>" : String.join(",", list);
  }
}
