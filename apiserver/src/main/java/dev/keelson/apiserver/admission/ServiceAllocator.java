package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Meta;
import dev.keelson.api.ProxyPorts;
import dev.keelson.api.ResourceKey;
import dev.keelson.projection.Claims;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * Gives a Service what upstream's registry allocates (a cluster IP, node ports) and Keelson's proxy
 * ports, against the claims the projection holds: random free values, or the ones the user asked
 * for when they are in range and free. It only picks: the fold of the log decides, refusing a
 * change that takes a value another object holds, and the write path then admits that change again,
 * which sees the value taken (see {@link Claims}). An update keeps what the Service held.
 */
public final class ServiceAllocator {

  /** Who holds a claim: {@code Projection::claimant}. */
  @FunctionalInterface
  public interface Claimants {
    Optional<ResourceKey> claimant(String claim);
  }

  /** Allocates nothing: for writers that never write Services. */
  public static final ServiceAllocator NONE = new ServiceAllocator(null, null, null);

  static final String PROXY_PORTS_FIELD = "metadata.annotations[" + ProxyPorts.ANNOTATION + "]";
  private static final GroupKind SERVICE = GroupKind.core("Service");

  private final ServiceRanges ranges;
  private final Claimants claimants;
  private final RandomGenerator random;

  public ServiceAllocator(ServiceRanges ranges, Claimants claimants) {
    this(ranges, claimants, RandomGenerator.getDefault());
  }

  ServiceAllocator(ServiceRanges ranges, Claimants claimants, RandomGenerator random) {
    this.ranges = ranges;
    this.claimants = claimants;
    this.random = random;
  }

  /**
   * Allocates what a Service (defaulted and valid) lacks, in place; {@code before} is the stored
   * Service an update changes, or null. The answer is the causes that make it invalid: a value
   * asked for that is out of range or taken, or a range with nothing left.
   */
  public List<FieldCause> allocate(GroupKind kind, ObjectNode service, JsonNode before) {
    if (this == NONE || !kind.equals(SERVICE)) {
      return List.of();
    }
    return new Allocation(service, before).run();
  }

  /** One admission's allocation: what the Service held, and what it takes now. */
  private final class Allocation {
    private final ObjectNode service;
    private final ObjectNode spec;
    private final JsonNode before;
    private final ResourceKey self;
    private final Set<String> held;
    private final Set<String> taking = new HashSet<>();
    private final List<FieldCause> causes = new ArrayList<>();

    Allocation(ObjectNode service, JsonNode before) {
      this.service = service;
      this.spec = PodDefaults.object(service, "spec");
      this.before = before;
      this.self = ResourceKey.of(service);
      this.held = before == null ? Set.of() : Set.copyOf(Claims.of(before));
    }

    /** Cluster IPs, node ports, proxy ports: as upstream, the first that fails answers. */
    List<FieldCause> run() {
      boolean getsIp =
          !Checks.text(spec, "type").equals("ExternalName") && !ServiceRules.headless(spec);
      if (getsIp) {
        families();
        if (causes.isEmpty()) {
          clusterIps();
        }
      }
      if (causes.isEmpty()) {
        nodePorts();
      }
      if (causes.isEmpty()) {
        proxyPorts(getsIp);
      }
      return causes;
    }

    /** A single-stack IPv4 cluster: upstream's answers to other families. */
    private void families() {
      JsonNode families = spec.path("ipFamilies");
      for (int i = 0; i < families.size(); i++) {
        String family = families.get(i).asText();
        if (!family.equals("IPv4")) {
          causes.add(
              FieldCause.invalid(
                  "spec.ipFamilies[" + i + "]", family, "not configured on this cluster"));
        }
      }
      if (Checks.text(spec, "ipFamilyPolicy").equals("RequireDualStack")) {
        causes.add(
            FieldCause.invalid(
                "spec.ipFamilyPolicy",
                "RequireDualStack",
                "this cluster is not configured for dual-stack services"));
      }
    }

    private void clusterIps() {
      IpRange range = ranges.clusterIps();
      JsonNode ips = spec.path("clusterIPs");
      if (ips.isEmpty()) {
        OptionalInt index = pick(range.size(), i -> Claims.clusterIp(range.address(i)));
        if (index.isEmpty()) {
          causes.add(
              FieldCause.internal(
                  "spec.clusterIPs", "failed to allocate a serviceIP: range is full"));
          return;
        }
        String ip = range.address(index.getAsInt());
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        return;
      }
      GoValue.Raw shown = new GoValue.Raw(Checks.stringSlice(ips));
      for (JsonNode each : ips) {
        String ip = each.asText();
        String claim = Claims.clusterIp(ip);
        String problem =
            held.contains(claim)
                ? null
                : range.indexOf(ip) < 0
                    ? "the provided IP ("
                        + ip
                        + ") is not in the valid range. The range of valid IPs is "
                        + range
                    : takenByOther(claim) ? "provided IP is already allocated" : null;
        if (problem != null) {
          causes.add(
              FieldCause.invalid(
                  "spec.clusterIPs", shown, "failed to allocate IP " + ip + ": " + problem));
        }
        taking.add(claim);
      }
    }

    /**
     * Node ports asked for are checked first, so that none allocated takes one; ports of one number
     * (TCP and UDP 53, say) share the node port allocated for them, as upstream's do.
     */
    private void nodePorts() {
      String type = Checks.text(spec, "type");
      boolean allocates =
          type.equals("NodePort")
              || type.equals("LoadBalancer")
                  && spec.path("allocateLoadBalancerNodePorts").asBoolean(true);
      PortRange range = ranges.nodePorts();
      JsonNode ports = spec.path("ports");
      Map<Long, Long> byPort = new HashMap<>();
      for (int i = 0; i < ports.size(); i++) {
        long nodePort = ports.get(i).path("nodePort").asLong(0);
        if (nodePort == 0) {
          continue;
        }
        String claim = Claims.nodePort(nodePort);
        String problem =
            held.contains(claim) || taking.contains(claim)
                ? null
                : !range.contains(nodePort)
                    ? "provided port is not in the valid range. The range of valid ports is "
                        + range
                    : takenByOther(claim) ? "provided port is already allocated" : null;
        if (problem != null) {
          causes.add(FieldCause.invalid("spec.ports[" + i + "].nodePort", nodePort, problem));
        }
        taking.add(claim);
        byPort.putIfAbsent(ports.get(i).path("port").asLong(), nodePort);
      }
      if (!allocates) {
        return;
      }
      for (int i = 0; i < ports.size(); i++) {
        if (!(ports.get(i) instanceof ObjectNode port) || port.path("nodePort").asLong(0) != 0) {
          continue;
        }
        Long shared = byPort.get(port.path("port").asLong());
        if (shared != null) {
          port.put("nodePort", shared);
          continue;
        }
        OptionalInt index = pick(range.size(), n -> Claims.nodePort(range.first() + n));
        if (index.isEmpty()) {
          causes.add(
              FieldCause.internal(
                  "spec.ports[" + i + "].nodePort",
                  "failed to allocate a nodePort: range is full"));
          return;
        }
        long nodePort = range.first() + index.getAsInt();
        port.put("nodePort", nodePort);
        byPort.put(port.path("port").asLong(), nodePort);
      }
    }

    /**
     * A proxy port for each TCP port of a Service with a cluster IP. Admission owns the annotation:
     * what the request says is replaced by what the Service held, and new ports get new ones.
     */
    private void proxyPorts(boolean hasClusterIp) {
      ObjectNode metadata = Meta.metadata(service);
      JsonNode annotations = metadata.get("annotations");
      if (annotations instanceof ObjectNode a) {
        a.remove(ProxyPorts.ANNOTATION);
      }
      if (!hasClusterIp) {
        return;
      }
      Map<Integer, Integer> kept = new HashMap<>();
      if (before != null) {
        for (ProxyPorts.Entry entry : ProxyPorts.of(before)) {
          if (entry.protocol().equals("TCP")
              && held.contains(Claims.proxyPort(entry.proxyPort()))) {
            kept.put(entry.port(), entry.proxyPort());
          }
        }
      }
      List<Integer> ports = new ArrayList<>();
      for (JsonNode port : spec.path("ports")) {
        int number = port.path("port").asInt(0);
        if (Checks.text(port, "protocol").equals("TCP") && number > 0 && !ports.contains(number)) {
          ports.add(number);
        }
      }
      kept.keySet().retainAll(ports);
      kept.values().forEach(p -> taking.add(Claims.proxyPort(p)));
      PortRange range = ranges.proxyPorts();
      List<ProxyPorts.Entry> entries = new ArrayList<>();
      for (int number : ports) {
        Integer proxyPort = kept.get(number);
        if (proxyPort == null) {
          OptionalInt index = pick(range.size(), n -> Claims.proxyPort(range.first() + n));
          if (index.isEmpty()) {
            causes.add(
                FieldCause.internal(
                    PROXY_PORTS_FIELD, "failed to allocate a proxy port: range is full"));
            return;
          }
          proxyPort = range.first() + index.getAsInt();
        }
        entries.add(new ProxyPorts.Entry(number, "TCP", proxyPort));
      }
      if (!entries.isEmpty()) {
        PodDefaults.object(metadata, "annotations")
            .put(ProxyPorts.ANNOTATION, ProxyPorts.format(entries));
      }
    }

    /** A free value of a range, at random, which this allocation then takes. */
    private OptionalInt pick(int size, IntFunction<String> claimOf) {
      OptionalInt index =
          FreeValues.pick(
              size,
              i -> {
                String claim = claimOf.apply(i);
                return !taking.contains(claim) && claimants.claimant(claim).isEmpty();
              },
              random);
      index.ifPresent(i -> taking.add(claimOf.apply(i)));
      return index;
    }

    private boolean takenByOther(String claim) {
      return taking.contains(claim)
          || claimants.claimant(claim).filter(holder -> !holder.equals(self)).isPresent();
    }
  }
}
