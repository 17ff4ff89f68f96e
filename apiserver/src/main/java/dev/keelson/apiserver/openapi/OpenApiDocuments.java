package dev.keelson.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.apiserver.discovery.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAPI documents of the served resources, built once from the fabric8 model classes and kept
 * as bytes: /openapi/v2 (JSON, or protobuf for kubectl), the /openapi/v3 root listing one document
 * per group version, and those documents, addressed by a hash of their content.
 */
public final class OpenApiDocuments {

  /** The type clients ask with is not a valid media type ('@'), so upstream answers with this. */
  static final String V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private static final String SERVER_VERSION = "v1.32.0";

  /** An answer to a GET of an OpenAPI path: status, response headers, body. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {}

  private record Served(byte[] body, String etag) {}

  private final Served v2Json;
  private final Served v2Protobuf;
  private final Served v3Root;
  private final Map<String, Served> v3 = new LinkedHashMap<>();
  private final Map<String, String> v3Hashes = new LinkedHashMap<>();

  private OpenApiDocuments(ObjectNode v2, Map<String, ObjectNode> v3Documents) {
    this.v2Json = served(Json.bytes(v2));
    this.v2Protobuf = served(SwaggerProtobuf.encode(v2));
    ObjectNode root = Json.object();
    ObjectNode paths = root.putObject("paths");
    v3Documents.forEach(
        (groupVersion, document) -> {
          Served doc = served(Json.bytes(document));
          String hash = doc.etag();
          v3.put(groupVersion, doc);
          v3Hashes.put(groupVersion, hash);
          paths
              .putObject(groupVersion)
              .put("serverRelativeURL", "/openapi/v3/" + groupVersion + "?hash=" + hash);
        });
    this.v3Root = served(Json.bytes(root));
  }

  private static final Logger LOG = LoggerFactory.getLogger(OpenApiDocuments.class);
  private static final Map<List<ResourceType>, CompletableFuture<OpenApiDocuments>> BUILT =
      new ConcurrentHashMap<>();

  /**
   * The documents of {@code registry}, built once per set of resources on a thread of the common
   * pool: the first build loads and introspects hundreds of model classes, seconds of CPU that an
   * event loop must not spend.
   */
  public static CompletableFuture<OpenApiDocuments> of(ResourceRegistry registry) {
    return BUILT.computeIfAbsent(
        registry.all(),
        types ->
            CompletableFuture.supplyAsync(() -> build(registry))
                .whenComplete(
                    (docs, e) -> {
                      if (e != null) {
                        LOG.error("the OpenAPI documents could not be built", e);
                      }
                    }));
  }

  /** Builds the documents of every resource of {@code registry} that fabric8 has a class for. */
  public static OpenApiDocuments build(ResourceRegistry registry) {
    Schemas schemas = new Schemas();
    Map<String, List<Endpoints.Path>> pathsByGroupVersion = new LinkedHashMap<>();
    for (ResourceType type : registry.all()) {
      Optional<Class<?>> model = ModelTypes.classOf(type.group(), type.version(), type.kind());
      Optional<Class<?>> list =
          ModelTypes.classOf(type.group(), type.version(), type.kind() + "List");
      if (model.isEmpty() || list.isEmpty()) {
        continue; // no schema to tell: the resource is served, just not described
      }
      String definition =
          schemas.defineKind(model.get(), type.group(), type.version(), type.kind());
      schemas.defineKind(list.get(), type.group(), type.version(), type.kind() + "List");
      String groupVersion = type.group().isEmpty() ? "api/v1" : "apis/" + type.apiVersion();
      pathsByGroupVersion
          .computeIfAbsent(groupVersion, g -> new java.util.ArrayList<>())
          .addAll(Endpoints.of(type, definition));
      for (Class<?> common :
          List.of(
              io.fabric8.kubernetes.api.model.DeleteOptions.class,
              io.fabric8.kubernetes.api.model.WatchEvent.class)) {
        schemas.defineKind(common, type.group(), type.version(), common.getSimpleName());
      }
    }
    schemas.defineKind(io.fabric8.kubernetes.api.model.Status.class, "", "v1", "Status");
    schemas.defineKind(io.fabric8.kubernetes.api.model.Binding.class, "", "v1", "Binding");
    schemas.defineKind(
        io.fabric8.kubernetes.api.model.autoscaling.v1.Scale.class, "autoscaling", "v1", "Scale");
    schemas.define(io.fabric8.kubernetes.api.model.Patch.class);

    ObjectNode v2 = document("swagger", "2.0");
    ObjectNode v2Paths = v2.putObject("paths");
    Map<String, ObjectNode> v3Documents = new LinkedHashMap<>();
    pathsByGroupVersion.forEach(
        (groupVersion, paths) -> {
          String tag = groupVersion.replace("apis/", "").replace("api/", "core/").replace('/', '_');
          ObjectNode v3 = document("openapi", "3.0.0");
          ObjectNode v3Paths = v3.putObject("paths");
          for (Endpoints.Path path : paths) {
            v2Paths.set(path.path(), PathJson.v2(path, tag));
            v3Paths.set(path.path(), PathJson.v3(path, tag));
          }
          ObjectNode components = v3.putObject("components").putObject("schemas");
          reachable(v3Paths, schemas.definitions())
              .forEach(name -> components.set(name, Schemas.toV3(schemas.definitions().get(name))));
          v3Documents.put(groupVersion, v3);
        });
    ObjectNode definitions = v2.putObject("definitions");
    schemas.definitions().forEach(definitions::set);
    return new OpenApiDocuments(v2, v3Documents);
  }

  /**
   * The answer to GET {@code path} (/openapi/v2, /openapi/v3, /openapi/v3/apis/apps/v1), or empty
   * where there is no such document. {@code hash} is the query parameter of the v3 links; {@code
   * headers} the request's headers: Accept picks protobuf for /openapi/v2 when it names it, and
   * If-None-Match that equals the ETag makes the answer 304.
   */
  public Optional<Answer> answer(String path, String hash, Function<String, String> headers) {
    String accept = headers.apply("Accept");
    Served served;
    String type = "application/json";
    boolean immutable = false;
    if (path.equals("/openapi/v2")) {
      boolean protobuf =
          accept != null && accept.toLowerCase(Locale.ROOT).contains("proto-openapi.spec.v2");
      served = protobuf ? v2Protobuf : v2Json;
      type = protobuf ? V2_PROTOBUF : type;
    } else if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      served = v3Root;
    } else if (path.startsWith("/openapi/v3/") && v3.containsKey(path.substring(12))) {
      served = v3.get(path.substring(12));
      immutable = hash != null && hash.equals(served.etag());
    } else {
      return Optional.empty();
    }
    String etag = "\"" + served.etag() + "\"";
    Map<String, String> answerHeaders =
        Map.of(
            "Content-Type", type,
            "ETag", etag,
            "Cache-Control", immutable ? "public, immutable" : "no-cache, private");
    if (etag.equals(headers.apply("If-None-Match"))) {
      return Optional.of(new Answer(304, answerHeaders, new byte[0]));
    }
    return Optional.of(new Answer(200, answerHeaders, served.body()));
  }

  /** The group versions with a v3 document ("api/v1", "apis/apps/v1"), each with its hash. */
  public Map<String, String> v3Hashes() {
    return Map.copyOf(v3Hashes);
  }

  private static ObjectNode document(String key, String version) {
    ObjectNode document = Json.object();
    document.put(key, version);
    ObjectNode info = document.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", SERVER_VERSION);
    return document;
  }

  /** The definitions {@code node} refers to, directly or through other definitions. */
  private static TreeSet<String> reachable(JsonNode node, Map<String, ObjectNode> definitions) {
    TreeSet<String> seen = new TreeSet<>();
    Deque<JsonNode> work = new ArrayDeque<>(List.of(node));
    while (!work.isEmpty()) {
      JsonNode next = work.pop();
      JsonNode ref = next.get("$ref");
      if (ref != null && ref.isTextual()) {
        String name = ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
        if (definitions.containsKey(name) && seen.add(name)) {
          work.push(definitions.get(name));
        }
      }
      next.forEach(work::push);
    }
    return seen;
  }

  private static Served served(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512").digest(body);
      return new Served(body, HexFormat.of().withUpperCase().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JVM", e);
    }
  }

  /** Test access: the parsed v2 document and the v3 documents by group version. */
  JsonNode v2() {
    return parse(v2Json.body());
  }

  JsonNode v3(String groupVersion) {
    return parse(v3.get(groupVersion).body());
  }

  JsonNode v3Root() {
    return parse(v3Root.body());
  }

  byte[] v2Protobuf() {
    return v2Protobuf.body();
  }

  private static JsonNode parse(byte[] body) {
    return Json.parseObject(body);
  }
}
