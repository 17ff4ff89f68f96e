package dev.keelson.e2e.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.e2e.agent.Cluster;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The pods of a namespace as a watch shows them, event by event: after each event {@code check}
 * sees every pod that exists at that moment, so that a test can assert what must hold at every
 * instant of a rollout (not only at the moments it polls).
 */
final class WatchedPods implements AutoCloseable {

  private final Map<String, JsonNode> pods = new ConcurrentHashMap<>();
  private final HttpWatch watch;

  WatchedPods(Cluster cluster, String namespace, Consumer<Collection<JsonNode>> check)
      throws Exception {
    watch =
        new HttpWatch(
            cluster.server,
            cluster.token,
            cluster.caPem,
            "/api/v1/namespaces/" + namespace + "/pods",
            (type, pod) -> {
              synchronized (pods) {
                String uid = pod.path("metadata").path("uid").asText();
                if ("DELETED".equals(type)) {
                  pods.remove(uid);
                } else {
                  pods.put(uid, pod);
                }
                check.accept(List.copyOf(pods.values()));
              }
            });
  }

  /** Ready, running and not being deleted: what a ReplicaSet counts as available. */
  static boolean serving(JsonNode pod) {
    if (pod.path("metadata").hasNonNull("deletionTimestamp")
        || !"Running".equals(pod.path("status").path("phase").asText())) {
      return false;
    }
    for (JsonNode c : pod.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return "True".equals(c.path("status").asText());
      }
    }
    return false;
  }

  static String image(JsonNode pod) {
    return pod.path("spec").path("containers").path(0).path("image").asText();
  }

  int serving() {
    synchronized (pods) {
      return (int) pods.values().stream().filter(WatchedPods::serving).count();
    }
  }

  @Override
  public void close() throws Exception {
    watch.close();
  }
}
