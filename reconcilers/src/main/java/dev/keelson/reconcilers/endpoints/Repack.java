package dev.keelson.reconcilers.endpoints;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upstream's RepackSubsets: from one subset per address and port set, the fewest subsets, each the
 * addresses that offer exactly the same ports. An address ready on a port in one subset is ready on
 * it however often it is listed not ready elsewhere. The result is sorted (addresses by IP then pod
 * uid, ports by name, number and protocol, subsets by their content), so that the same state always
 * gives the same Endpoints and an unchanged one is not written again.
 */
final class Repack {

  private Repack() {}

  /** One address of an Endpoints subset. */
  record Address(
      String ip, String hostname, String nodeName, String namespace, String pod, String uid) {
    String identity() {
      return ip + "/" + uid;
    }
  }

  /** One port of an Endpoints subset; port -1 stands for "no ports" (a headless service). */
  record Port(String name, int port, String protocol, String appProtocol) {
    static final Port NONE = new Port("", -1, "", null);
  }

  /** A subset: ready addresses, not-ready addresses, and the ports they all offer. */
  record Subset(List<Address> addresses, List<Address> notReadyAddresses, List<Port> ports) {}

  static final Comparator<Address> ADDRESS_ORDER =
      Comparator.comparing(Address::ip).thenComparing(Address::uid);
  static final Comparator<Port> PORT_ORDER =
      Comparator.comparing(Port::name).thenComparingInt(Port::port).thenComparing(Port::protocol);

  static List<Subset> repack(List<Subset> subsets) {
    // Port -> (address -> ready), addresses identified by IP and pod uid.
    Map<Port, Map<String, Boolean>> byPort = new LinkedHashMap<>();
    Map<String, Address> addresses = new LinkedHashMap<>();
    for (Subset subset : subsets) {
      List<Port> ports = subset.ports().isEmpty() ? List.of(Port.NONE) : subset.ports();
      for (Port port : ports) {
        Map<String, Boolean> offered = byPort.computeIfAbsent(port, p -> new TreeMap<>());
        for (Address a : subset.addresses()) {
          addresses.putIfAbsent(a.identity(), a);
          offered.put(a.identity(), true);
        }
        for (Address a : subset.notReadyAddresses()) {
          addresses.putIfAbsent(a.identity(), a);
          offered.putIfAbsent(a.identity(), false);
        }
      }
    }
    // The same addresses (with the same readiness) -> the ports they offer.
    Map<Map<String, Boolean>, List<Port>> byAddresses = new LinkedHashMap<>();
    for (Map.Entry<Port, Map<String, Boolean>> e : byPort.entrySet()) {
      List<Port> ports = byAddresses.computeIfAbsent(e.getValue(), a -> new ArrayList<>());
      if (e.getKey().port() > 0) {
        ports.add(e.getKey());
      }
    }
    List<Subset> result = new ArrayList<>();
    for (Map.Entry<Map<String, Boolean>, List<Port>> e : byAddresses.entrySet()) {
      List<Address> ready = new ArrayList<>();
      List<Address> notReady = new ArrayList<>();
      e.getKey().forEach((id, isReady) -> (isReady ? ready : notReady).add(addresses.get(id)));
      ready.sort(ADDRESS_ORDER);
      notReady.sort(ADDRESS_ORDER);
      List<Port> ports = new ArrayList<>(e.getValue());
      ports.sort(PORT_ORDER);
      result.add(new Subset(List.copyOf(ready), List.copyOf(notReady), List.copyOf(ports)));
    }
    result.sort(Comparator.comparing(Repack::sortKey));
    return result;
  }

  private static String sortKey(Subset s) {
    return s.addresses().stream().map(Address::identity).toList()
        + "|"
        + s.notReadyAddresses().stream().map(Address::identity).toList()
        + "|"
        + s.ports();
  }
}
