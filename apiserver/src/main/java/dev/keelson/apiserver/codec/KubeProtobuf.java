package dev.keelson.apiserver.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.keelson.api.Json;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V2Autoscaling;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a request body in Kubernetes' protobuf encoding ({@code
 * application/vnd.kubernetes.protobuf}), which kubectl 1.32 and later send for built-in types: the
 * magic {@code k8s\0}, then a {@code runtime.Unknown} whose typeMeta names the object and whose raw
 * bytes are the object's message. The result is the JSON object the same client would have sent as
 * JSON, so the rest of the API server sees no difference.
 */
public final class KubeProtobuf {

  /** The Content-Type of such a body. */
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {'k', '8', 's', 0};

  /** The served kinds by "apiVersion kind". */
  private static final Map<String, Descriptor> KINDS = kinds();

  private KubeProtobuf() {}

  /** Whether a Content-Type header names this encoding (parameters and case aside). */
  public static boolean isMediaType(String contentType) {
    return contentType != null
        && contentType.regionMatches(true, 0, MEDIA_TYPE, 0, MEDIA_TYPE.length());
  }

  /**
   * Decodes one protobuf body into a JSON object with {@code kind} and {@code apiVersion} set from
   * the envelope.
   *
   * @throws IllegalArgumentException with a one-line reason when the body is not a well-formed
   *     protobuf object of a served kind
   */
  public static ObjectNode decode(byte[] body) {
    if (body == null || body.length < MAGIC.length || !hasMagic(body)) {
      throw new IllegalArgumentException("the protobuf body does not start with the k8s\\0 prefix");
    }
    try {
      Message unknown =
          parse(Runtime.Unknown.getDescriptor(), body, MAGIC.length, "the protobuf envelope");
      Message typeMeta = (Message) get(unknown, "typeMeta");
      String apiVersion = (String) get(typeMeta, "apiVersion");
      String kind = (String) get(typeMeta, "kind");
      String encoding = (String) get(unknown, "contentEncoding");
      if (!encoding.isEmpty()) {
        throw new IllegalArgumentException(
            "the protobuf envelope has the unsupported contentEncoding " + oneLine(encoding));
      }
      Descriptor type = KINDS.get(apiVersion + " " + kind);
      if (type == null) {
        throw new IllegalArgumentException(
            "no protobuf decoding for apiVersion "
                + oneLine(apiVersion)
                + " kind "
                + oneLine(kind));
      }
      byte[] raw = ((ByteString) get(unknown, "raw")).toByteArray();
      Message object = parse(type, raw, 0, "the protobuf " + kind);
      ObjectNode json = Json.object();
      json.put("kind", kind);
      json.put("apiVersion", apiVersion);
      json.setAll(ProtoJson.object(object));
      return json;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "the protobuf body could not be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * Parses with the runtime's own reflection parser rather than the generated classes: the
   * generated parsers of client-java-proto predate protobuf 3.21.7 and are flagged as unsafe for
   * untrusted input by the protobuf runtime.
   */
  private static Message parse(Descriptor type, byte[] bytes, int offset, String what) {
    try {
      return DynamicMessage.newBuilder(type)
          .mergeFrom(bytes, offset, bytes.length - offset)
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(what + " is truncated or malformed");
    }
  }

  private static Object get(Message message, String field) {
    return message.getField(message.getDescriptorForType().findFieldByName(field));
  }

  private static boolean hasMagic(byte[] body) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private static String oneLine(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
  }

  private static Map<String, Descriptor> kinds() {
    Map<String, Descriptor> kinds = new HashMap<>();
    kinds.put("v1 Namespace", V1.Namespace.getDescriptor());
    kinds.put("v1 Pod", V1.Pod.getDescriptor());
    kinds.put("v1 Node", V1.Node.getDescriptor());
    kinds.put("v1 Service", V1.Service.getDescriptor());
    kinds.put("v1 Endpoints", V1.Endpoints.getDescriptor());
    kinds.put("v1 ConfigMap", V1.ConfigMap.getDescriptor());
    kinds.put("v1 Secret", V1.Secret.getDescriptor());
    kinds.put("v1 ServiceAccount", V1.ServiceAccount.getDescriptor());
    kinds.put("v1 Event", V1.Event.getDescriptor());
    kinds.put("v1 Binding", V1.Binding.getDescriptor());
    kinds.put("apps/v1 Deployment", V1Apps.Deployment.getDescriptor());
    kinds.put("apps/v1 ReplicaSet", V1Apps.ReplicaSet.getDescriptor());
    kinds.put("autoscaling/v1 Scale", V1Autoscaling.Scale.getDescriptor());
    kinds.put("batch/v1 Job", V1Batch.Job.getDescriptor());
    kinds.put(
        "autoscaling/v2 HorizontalPodAutoscaler",
        V2Autoscaling.HorizontalPodAutoscaler.getDescriptor());
    kinds.put("coordination.k8s.io/v1 Lease", V1Coordination.Lease.getDescriptor());
    // A typed client sends DeleteOptions under the group version of the resource it deletes.
    for (String groupVersion :
        new String[] {
          "v1",
          "apps/v1",
          "autoscaling/v1",
          "batch/v1",
          "autoscaling/v2",
          "coordination.k8s.io/v1",
          "meta.k8s.io/v1"
        }) {
      kinds.put(groupVersion + " DeleteOptions", Meta.DeleteOptions.getDescriptor());
    }
    return Map.copyOf(kinds);
  }
}
