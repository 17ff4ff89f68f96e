package dev.keelson.nodeagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's events about pods, written through the API on a thread of their own so that a pod
 * never waits for them. As upstream's recorder, a repeat (same pod, reason and message) raises the
 * count of the event already written; when the API falls behind, events are dropped rather than
 * queued without end.
 */
final class PodEvents implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PodEvents.class);
  private static final int REMEMBERED = 2048;

  private final KubernetesClient client;
  private final String node;

  /**
   * One writer for every node of the process: an agent holding a thousand simulated nodes must not
   * hold a thousand threads writing events.
   */
  private static final ThreadPoolExecutor WRITER =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(10_000),
          r -> {
            Thread t = new Thread(r, "keelson-agent-events");
            t.setDaemon(true);
            return t;
          },
          new ThreadPoolExecutor.DiscardOldestPolicy());

  private final Map<String, String> written =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > REMEMBERED;
        }
      };

  PodEvents(KubernetesClient client, String node) {
    this.client = client;
    this.node = node;
  }

  void record(JsonNode pod, String type, String reason, String message) {
    String namespace = pod.path("metadata").path("namespace").asText();
    String name = pod.path("metadata").path("name").asText();
    String uid = pod.path("metadata").path("uid").asText();
    WRITER.execute(() -> write(namespace, name, uid, type, reason, message));
  }

  private void write(
      String namespace, String pod, String uid, String type, String reason, String message) {
    String identity = uid + "\n" + type + "\n" + reason + "\n" + message;
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      String existing;
      synchronized (written) {
        existing = written.get(identity);
      }
      if (existing != null) {
        Event updated =
            client
                .v1()
                .events()
                .inNamespace(namespace)
                .withName(existing)
                .edit(
                    e -> {
                      e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
                      e.setLastTimestamp(now);
                      return e;
                    });
        if (updated != null) {
          return;
        }
      }
      String name =
          pod
              + "."
              + Long.toHexString(
                      System.currentTimeMillis() * 1_000_000L
                          + ThreadLocalRandom.current().nextInt(1_000_000))
                  .toLowerCase(Locale.ROOT);
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("v1")
                  .withKind("Pod")
                  .withNamespace(namespace)
                  .withName(pod)
                  .withUid(uid)
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent("kubelet")
                  .withHost(node)
                  .endSource()
                  .withReportingComponent("kubelet")
                  .withReportingInstance(node)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
      synchronized (written) {
        written.put(identity, name);
      }
    } catch (RuntimeException e) {
      LOG.debug("event {} about {}/{} not written: {}", reason, namespace, pod, e.toString());
    }
  }

  @Override
  public void close() {
    // The writer is shared by the process's nodes, and its thread is a daemon: nothing to stop.
  }
}
