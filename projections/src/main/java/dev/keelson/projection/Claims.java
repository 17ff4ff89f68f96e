package dev.keelson.projection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.ProxyPorts;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values an object holds that no other object may hold at the same time: of a core/v1 Service,
 * its cluster IPs ({@code clusterIP/127.64.0.7}), its node ports ({@code nodePort/30080}; one
 * number for every protocol, as upstream's allocator has it) and its proxy ports ({@code
 * proxyPort/20001}, from the annotation {@value ProxyPorts#ANNOTATION}). The fold refuses a change
 * that would claim what another object holds; an object's claims are freed when it goes. Admission
 * picks free values with {@link Projection#claimant}.
 */
public final class Claims {

  public static final String CLUSTER_IP = "clusterIP/";
  public static final String NODE_PORT = "nodePort/";
  public static final String PROXY_PORT = "proxyPort/";

  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private Claims() {}

  /** The claim of a cluster IP; a dotted quad is written without leading zeros. */
  public static String clusterIp(String ip) {
    return CLUSTER_IP + canonical(ip);
  }

  public static String nodePort(long port) {
    return NODE_PORT + port;
  }

  public static String proxyPort(long port) {
    return PROXY_PORT + port;
  }

  /** The claims of an object, each once: none unless it is a core/v1 Service. */
  public static List<String> of(JsonNode object) {
    if (!object.path("kind").asText("").equals("Service")
        || !object.path("apiVersion").asText("").equals("v1")) {
      return List.of();
    }
    Set<String> claims = new LinkedHashSet<>();
    JsonNode spec = object.path("spec");
    if (!spec.path("type").asText("").equals("ExternalName")) {
      JsonNode ips = spec.path("clusterIPs");
      if (ips.isEmpty()) {
        addIp(claims, spec.path("clusterIP").asText(""));
      } else {
        ips.forEach(ip -> addIp(claims, ip.asText("")));
      }
    }
    for (JsonNode port : spec.path("ports")) {
      long nodePort = port.path("nodePort").asLong(0);
      if (nodePort > 0) {
        claims.add(nodePort(nodePort));
      }
    }
    for (ProxyPorts.Entry entry : ProxyPorts.of(object)) {
      claims.add(proxyPort(entry.proxyPort()));
    }
    return List.copyOf(claims);
  }

  /** Why {@code claim} cannot be had, in upstream's words: it is held by another object. */
  public static String taken(String claim) {
    if (claim.startsWith(CLUSTER_IP)) {
      return "failed to allocate IP "
          + claim.substring(CLUSTER_IP.length())
          + ": provided IP is already allocated";
    }
    if (claim.startsWith(NODE_PORT)) {
      return "failed to allocate node port "
          + claim.substring(NODE_PORT.length())
          + ": provided port is already allocated";
    }
    if (claim.startsWith(PROXY_PORT)) {
      return "failed to allocate proxy port "
          + claim.substring(PROXY_PORT.length())
          + ": provided port is already allocated";
    }
    return claim + " is already allocated";
  }

  private static void addIp(Set<String> claims, String ip) {
    if (!ip.isEmpty() && !ip.equals("None")) {
      claims.add(clusterIp(ip));
    }
  }

  private static String canonical(String ip) {
    Matcher m = IPV4.matcher(ip);
    if (!m.matches()) {
      return ip;
    }
    return Integer.parseInt(m.group(1))
        + "."
        + Integer.parseInt(m.group(2))
        + "."
        + Integer.parseInt(m.group(3))
        + "."
        + Integer.parseInt(m.group(4));
  }
}
