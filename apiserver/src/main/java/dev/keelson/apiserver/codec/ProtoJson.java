package dev.keelson.apiserver.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.keelson.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a parsed Kubernetes protobuf message into the JSON that Go's encoding/json would write for
 * the same Go value, by walking descriptors. The JSON key is the proto field name, which
 * go-to-protobuf takes from the json tag; the one exception is an embedded struct that is {@code
 * json:",inline"}, whose proto field is named after the struct ({@link #INLINE}).
 */
final class ProtoJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

  /** Embedded structs of the served kinds that Go flattens into their parent's JSON object. */
  private static final Set<String> INLINE =
      Set.of(
          "k8s.io.api.core.v1.Volume.volumeSource",
          "k8s.io.api.core.v1.Probe.handler",
          "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
          "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
          "k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference",
          "k8s.io.api.core.v1.SecretKeySelector.localObjectReference",
          "k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference",
          "k8s.io.api.core.v1.SecretEnvSource.localObjectReference",
          "k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference",
          "k8s.io.api.core.v1.ConfigMapProjection.localObjectReference",
          "k8s.io.api.core.v1.SecretProjection.localObjectReference");

  /**
   * Go's generated marshaller writes every non-pointer scalar, zero or not, so presence on the wire
   * does not say whether JSON would carry a zero value. These fields are the ones where it would:
   * Go pointers ({@code *int32 replicas}: 0 means 0, not unset) and fields without omitempty.
   */
  private static final Set<String> ZERO_KEPT = load("zero-kept-fields.txt");

  private ProtoJson() {}

  static ObjectNode object(Message message) {
    ObjectNode out = Json.object();
    fill(message, out);
    return out;
  }

  private static void fill(Message message, ObjectNode out) {
    Descriptor type = message.getDescriptorForType();
    for (FieldDescriptor field : type.getFields()) {
      String name = field.getName();
      if (field.isMapField()) {
        List<?> entries = (List<?>) message.getField(field);
        if (!entries.isEmpty()) {
          out.set(name, map(entries));
        }
      } else if (field.isRepeated()) {
        int count = message.getRepeatedFieldCount(field);
        if (count > 0) {
          ArrayNode array = out.putArray(name);
          for (int i = 0; i < count; i++) {
            array.add(value(field, message.getRepeatedField(field, i)));
          }
        }
      } else if (message.hasField(field)) {
        Object value = message.getField(field);
        String qualified = type.getFullName() + "." + name;
        if (value instanceof Message child && INLINE.contains(qualified)) {
          fill(child, out);
        } else if (!isZero(value) || ZERO_KEPT.contains(qualified)) {
          out.set(name, value(field, value));
        }
      }
    }
  }

  /** A proto map is a list of key/value entries; Go writes map keys sorted. */
  private static ObjectNode map(List<?> entries) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    for (Object entry : entries) {
      Message pair = (Message) entry;
      FieldDescriptor key = pair.getDescriptorForType().findFieldByNumber(1);
      FieldDescriptor value = pair.getDescriptorForType().findFieldByNumber(2);
      sorted.put(String.valueOf(pair.getField(key)), value(value, pair.getField(value)));
    }
    ObjectNode out = Json.object();
    sorted.forEach(out::set);
    return out;
  }

  private static JsonNode value(FieldDescriptor field, Object value) {
    switch (field.getJavaType()) {
      case MESSAGE:
        return message((Message) value);
      case BYTE_STRING:
        return NODES.textNode(
            Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case STRING:
        return NODES.textNode((String) value);
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case INT:
        return NODES.numberNode((Integer) value);
      case LONG:
        // The node type Jackson itself gives the number when it parses JSON text.
        long number = (Long) value;
        return number == (int) number ? NODES.numberNode((int) number) : NODES.numberNode(number);
      case FLOAT:
        return NODES.numberNode((Float) value);
      case DOUBLE:
        return NODES.numberNode((Double) value);
      default:
        throw new IllegalArgumentException("unsupported protobuf field " + field.getFullName());
    }
  }

  /** The apimachinery types with their own JSON form; any other message is a JSON object. */
  private static JsonNode message(Message message) {
    String type = message.getDescriptorForType().getFullName();
    switch (type) {
      case "k8s.io.apimachinery.pkg.api.resource.Quantity":
        String quantity = (String) field(message, "string");
        return NODES.textNode(quantity.isEmpty() ? "0" : quantity);
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        long kind = (Long) field(message, "type");
        if (kind == 0) {
          return NODES.numberNode((Integer) field(message, "intVal"));
        }
        if (kind == 1) {
          return NODES.textNode((String) field(message, "strVal"));
        }
        throw new IllegalArgumentException("an IntOrString has the impossible type " + kind);
      case META + "Time":
        // An empty message is Go's zero time, which marshals as null.
        return message.getAllFields().isEmpty()
            ? NODES.nullNode()
            : NODES.textNode(GoTime.time((Long) field(message, "seconds")));
      case META + "MicroTime":
        return message.getAllFields().isEmpty()
            ? NODES.nullNode()
            : NODES.textNode(
                GoTime.microTime(
                    (Long) field(message, "seconds"), (Integer) field(message, "nanos")));
      case META + "Duration":
        return NODES.textNode(GoTime.duration((Long) field(message, "duration")));
      case META + "FieldsV1":
        return rawJson((ByteString) field(message, "Raw"));
      case "k8s.io.apimachinery.pkg.runtime.RawExtension":
        return rawJson((ByteString) field(message, "raw"));
      default:
        return object(message);
    }
  }

  private static Object field(Message message, String name) {
    return message.getField(message.getDescriptorForType().findFieldByName(name));
  }

  /** Raw bytes that Go writes into JSON unchanged; an empty value is Go's nil, i.e. null. */
  private static JsonNode rawJson(ByteString raw) {
    if (raw.isEmpty()) {
      return NODES.nullNode();
    }
    try {
      return Json.mapper().readTree(raw.toByteArray());
    } catch (IOException e) {
      throw new IllegalArgumentException("an embedded raw value is not JSON");
    }
  }

  private static boolean isZero(Object value) {
    if (value instanceof String text) {
      return text.isEmpty();
    } else if (value instanceof Boolean flag) {
      return !flag;
    } else if (value instanceof Number number) {
      return number.doubleValue() == 0;
    } else if (value instanceof ByteString bytes) {
      return bytes.isEmpty();
    }
    return false; // a present message is written even when empty, as Go does for structs
  }

  private static Set<String> load(String resource) {
    try (InputStream in = ProtoJson.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      Set<String> fields = new HashSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          fields.add(trimmed);
        }
      }
      return Set.copyOf(fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
