package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Upstream's core/v1 {@code SetDefaults_PodSpec}, {@code SetDefaults_Container} and the defaults
 * nested in them (probes, ports, volumes), plus the pod-only {@code SetDefaults_Pod}.
 */
final class PodDefaults {

  private static final int DEFAULT_MODE = 0644;

  private PodDefaults() {}

  /** The defaults of any pod spec, a pod's or a template's. */
  static void spec(ObjectNode spec) {
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "restartPolicy", "Always");
    if (!(spec.get("securityContext") instanceof ObjectNode)) {
      spec.putObject("securityContext");
    }
    if (!Checks.present(spec, "terminationGracePeriodSeconds")) {
      spec.put("terminationGracePeriodSeconds", 30);
    }
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    // The deprecated serviceAccount mirrors serviceAccountName, as the v1 conversion does.
    if (Checks.text(spec, "serviceAccountName").isEmpty()
        && !Checks.text(spec, "serviceAccount").isEmpty()) {
      spec.put("serviceAccountName", Checks.text(spec, "serviceAccount"));
    }
    if (!Checks.text(spec, "serviceAccountName").isEmpty()) {
      spec.put("serviceAccount", Checks.text(spec, "serviceAccountName"));
    }
    for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
      for (JsonNode container : spec.path(list)) {
        if (container instanceof ObjectNode c) {
          container(c);
        }
      }
    }
    for (JsonNode volume : spec.path("volumes")) {
      if (volume instanceof ObjectNode v) {
        volume(v);
      }
    }
  }

  /** The defaults only a pod gets, not a template: requests from limits, service links. */
  static void pod(ObjectNode pod) {
    ObjectNode spec = object(pod, "spec");
    spec(spec);
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode container : spec.path(list)) {
        JsonNode limits = container.path("resources").path("limits");
        if (limits.isObject() && container instanceof ObjectNode c) {
          ObjectNode requests = object(object(c, "resources"), "requests");
          limits
              .fields()
              .forEachRemaining(
                  e -> {
                    if (!requests.has(e.getKey())) {
                      requests.set(e.getKey(), e.getValue().deepCopy());
                    }
                  });
        }
      }
    }
    if (!Checks.present(spec, "enableServiceLinks")) {
      spec.put("enableServiceLinks", true);
    }
    if (spec.path("hostNetwork").asBoolean(false)) {
      for (String list : List.of("containers", "initContainers")) {
        for (JsonNode container : spec.path(list)) {
          for (JsonNode port : container.path("ports")) {
            if (port instanceof ObjectNode p && p.path("hostPort").asLong(0) == 0) {
              p.set("hostPort", p.path("containerPort"));
            }
          }
        }
      }
    }
  }

  private static void container(ObjectNode container) {
    if (Checks.text(container, "imagePullPolicy").isEmpty()) {
      container.put(
          "imagePullPolicy",
          "latest".equals(tag(Checks.text(container, "image"))) ? "Always" : "IfNotPresent");
    }
    putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(container, "terminationMessagePolicy", "File");
    for (JsonNode port : container.path("ports")) {
      if (port instanceof ObjectNode p) {
        putIfAbsent(p, "protocol", "TCP");
      }
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      if (container.get(probe) instanceof ObjectNode p) {
        probe(p);
      }
    }
    JsonNode lifecycle = container.path("lifecycle");
    for (String hook : List.of("postStart", "preStop")) {
      if (lifecycle.path(hook).get("httpGet") instanceof ObjectNode get) {
        httpGet(get);
      }
    }
    for (JsonNode env : container.path("env")) {
      if (env.path("valueFrom").get("fieldRef") instanceof ObjectNode ref) {
        putIfAbsent(ref, "apiVersion", "v1");
      }
    }
  }

  private static void probe(ObjectNode probe) {
    zeroToDefault(probe, "timeoutSeconds", 1);
    zeroToDefault(probe, "periodSeconds", 10);
    zeroToDefault(probe, "successThreshold", 1);
    zeroToDefault(probe, "failureThreshold", 3);
    if (probe.get("httpGet") instanceof ObjectNode get) {
      httpGet(get);
    }
  }

  private static void httpGet(ObjectNode get) {
    putIfAbsent(get, "path", "/");
    putIfAbsent(get, "scheme", "HTTP");
  }

  private static void volume(ObjectNode volume) {
    boolean hasSource = false;
    var names = volume.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      hasSource |= !name.equals("name") && Checks.present(volume, name);
    }
    if (!hasSource) {
      volume.putObject("emptyDir");
    }
    for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
      if (volume.get(source) instanceof ObjectNode s && !Checks.present(s, "defaultMode")) {
        s.put("defaultMode", DEFAULT_MODE);
      }
    }
    if (volume.get("hostPath") instanceof ObjectNode hostPath) {
      putIfAbsent(hostPath, "type", "");
    }
    for (JsonNode item : volume.path("downwardAPI").path("items")) {
      if (item.get("fieldRef") instanceof ObjectNode ref) {
        putIfAbsent(ref, "apiVersion", "v1");
      }
    }
    for (JsonNode source : volume.path("projected").path("sources")) {
      if (source.get("serviceAccountToken") instanceof ObjectNode token
          && !Checks.present(token, "expirationSeconds")) {
        token.put("expirationSeconds", 3600);
      }
    }
  }

  /**
   * The tag of an image reference as upstream's {@code ParseImageName} reads it: "latest" when
   * there is neither tag nor digest, empty for a digest alone or a name it cannot parse.
   */
  static String tag(String image) {
    if (image.isEmpty() || image.contains("@")) {
      return "";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    String repository = colon > slash ? image.substring(0, colon) : image;
    String path =
        repository.contains("/")
                && repository.substring(0, repository.indexOf('/')).matches(".*[.:].*|localhost")
            ? repository.substring(repository.indexOf('/') + 1)
            : repository;
    if (!path.equals(path.toLowerCase(java.util.Locale.ROOT))) {
      return "";
    }
    return colon > slash ? image.substring(colon + 1) : "latest";
  }

  static void putIfAbsent(ObjectNode node, String field, String value) {
    if (Checks.text(node, field).isEmpty()) {
      node.put(field, value);
    }
  }

  private static void zeroToDefault(ObjectNode node, String field, int value) {
    if (node.path(field).asLong(0) == 0) {
      node.put(field, value);
    }
  }

  static ObjectNode object(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    return child instanceof ObjectNode object ? object : parent.putObject(field);
  }

  static ArrayNode array(ObjectNode parent, String field) {
    JsonNode child = parent.get(field);
    return child instanceof ArrayNode array ? array : parent.putArray(field);
  }
}
