package dev.keelson.reconcilers.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.write.WritePath;
import dev.keelson.write.WriteResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about the objects a reconciler works on, so that {@code kubectl describe}
 * and {@code kubectl get events} tell the story. As upstream's recorder, a repeat of the same event
 * (same object, type, reason and message) raises the count of the one recorded instead of adding
 * another. Recording never fails a reconcile: a write that does not land is logged and dropped.
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 4096;

  private final ClusterWriter writer;
  private final String component;
  private final String instance;
  private final Map<String, String> recorded =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(ClusterWriter writer, String component, String instance) {
    this.writer = writer;
    this.component = component;
    this.instance = instance;
  }

  public void normal(JsonNode object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  public void warning(JsonNode object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  /** Records an event about {@code object} (which needs kind, apiVersion and metadata). */
  public void record(JsonNode object, String type, String reason, String message) {
    // upstream records the events of cluster-scoped objects in default
    String namespace = Meta.namespace(object).isEmpty() ? "default" : Meta.namespace(object);
    String identity =
        Meta.uid(object) + "\n" + type + "\n" + reason + "\n" + Objects.toString(message, "");
    String existing;
    synchronized (recorded) {
      existing = recorded.get(identity);
    }
    String now = writer.now();
    if (existing != null) {
      ResourceKey key = ResourceKey.of("", "Event", namespace, existing);
      writer
          .modify(
              key,
              null,
              WritePath.Part.MAIN,
              event -> {
                event.put("count", event.path("count").asInt(1) + 1);
                event.put("lastTimestamp", now);
                return event;
              })
          .whenComplete(
              (result, error) -> {
                if (error != null || !(result instanceof WriteResult.Accepted)) {
                  synchronized (recorded) {
                    recorded.remove(identity);
                  }
                  create(object, namespace, type, reason, message, now, identity);
                }
              });
      return;
    }
    create(object, namespace, type, reason, message, now, identity);
  }

  private void create(
      JsonNode object,
      String namespace,
      String type,
      String reason,
      String message,
      String now,
      String identity) {
    ObjectNode event = Json.object();
    event.put("apiVersion", "v1");
    event.put("kind", "Event");
    String name =
        Meta.name(object)
            + "."
            + Long.toHexString(
                    System.currentTimeMillis() * 1_000_000L
                        + ThreadLocalRandom.current().nextInt(1_000_000))
                .toLowerCase(Locale.ROOT);
    event.with("metadata").put("name", name).put("namespace", namespace);
    ObjectNode involved = event.putObject("involvedObject");
    involved.put("kind", object.path("kind").asText());
    if (!Meta.namespace(object).isEmpty()) {
      involved.put("namespace", Meta.namespace(object));
    }
    involved.put("name", Meta.name(object));
    involved.put("uid", Meta.uid(object));
    involved.put("apiVersion", object.path("apiVersion").asText());
    if (!Meta.resourceVersion(object).isEmpty()) {
      involved.put("resourceVersion", Meta.resourceVersion(object));
    }
    event.put("reason", reason);
    event.put("message", message);
    event.putObject("source").put("component", component);
    event.put("firstTimestamp", now);
    event.put("lastTimestamp", now);
    event.put("count", 1);
    event.put("type", type);
    event.putNull("eventTime");
    event.put("reportingComponent", component);
    event.put("reportingInstance", instance);
    writer
        .create(event)
        .whenComplete(
            (result, error) -> {
              if (result instanceof WriteResult.Accepted) {
                synchronized (recorded) {
                  recorded.put(identity, name);
                }
              } else {
                LOG.debug(
                    "event {} {} about {} not recorded: {}",
                    reason,
                    message,
                    Meta.name(object),
                    error != null ? error.toString() : result);
              }
            });
  }
}
