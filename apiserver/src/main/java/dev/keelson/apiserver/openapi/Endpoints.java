package dev.keelson.apiserver.openapi;

import dev.keelson.apiserver.discovery.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The REST endpoints of one resource as upstream's OpenAPI lists them: the collection, the item,
 * its subresources and the watch paths, each operation with its query parameters, body, answer and
 * group-version-kind. Written once here and rendered as OpenAPI v2 and v3.
 */
final class Endpoints {

  /** A parameter of an operation or of a whole path. */
  record Param(String name, String in, String type, String description) {}

  /** One HTTP method on one path. {@code body} and {@code answer} are definition names. */
  record Operation(
      String method,
      String action,
      String operationId,
      String description,
      List<Param> params,
      String body,
      String answer,
      Gvk gvk) {}

  /** A path, the parameters all of its operations share, and its operations. */
  record Path(String path, List<Param> params, List<Operation> operations) {}

  record Gvk(String group, String version, String kind) {}

  static final String STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
  static final String DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
  static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
  static final String WATCH_EVENT = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";
  static final String SCALE = "io.k8s.api.autoscaling.v1.Scale";
  static final String BINDING = "io.k8s.api.core.v1.Binding";

  private static final Param PRETTY =
      query("pretty", "string", "If 'true', then the output is pretty printed.");
  private static final Param NAMESPACE =
      new Param(
          "namespace",
          "path",
          "string",
          "object name and auth scope, such as for teams and projects");
  private static final List<Param> WRITE =
      List.of(
          query(
              "dryRun",
              "string",
              "When present, indicates that modifications should not be persisted."),
          query(
              "fieldManager",
              "string",
              "fieldManager is a name associated with the actor or entity that is making these changes."),
          query(
              "fieldValidation",
              "string",
              "fieldValidation instructs the server on how to handle objects in the request"
                  + " containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict."));
  private static final List<Param> LIST =
      List.of(
          query("allowWatchBookmarks", "boolean", "requests watch events with type \"BOOKMARK\"."),
          query(
              "continue",
              "string",
              "The continue option should be set when retrieving more results from the server."),
          query(
              "fieldSelector",
              "string",
              "A selector to restrict the list of returned objects by their fields."),
          query(
              "labelSelector",
              "string",
              "A selector to restrict the list of returned objects by their labels."),
          query(
              "limit",
              "integer",
              "limit is a maximum number of responses to return for a list call."),
          query(
              "resourceVersion",
              "string",
              "resourceVersion sets a constraint on what resource versions a request may be served from."),
          query(
              "resourceVersionMatch",
              "string",
              "resourceVersionMatch determines how resourceVersion is applied to list calls."),
          query(
              "sendInitialEvents",
              "boolean",
              "`sendInitialEvents=true` may be set together with `watch=true`."),
          query("timeoutSeconds", "integer", "Timeout for the list/watch call."),
          query(
              "watch",
              "boolean",
              "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."));
  private static final List<Param> DELETE =
      List.of(
          query(
              "dryRun",
              "string",
              "When present, indicates that modifications should not be persisted."),
          query(
              "gracePeriodSeconds",
              "integer",
              "The duration in seconds before the object should be deleted."),
          query("orphanDependents", "boolean", "Deprecated: please use the PropagationPolicy."),
          query(
              "propagationPolicy",
              "string",
              "Whether and how garbage collection will be performed."));

  private Endpoints() {}

  private static Param query(String name, String type, String description) {
    return new Param(name, "query", type, description);
  }

  /** The paths of {@code type}, whose schemas are named {@code definition} and its list. */
  static List<Path> of(ResourceType type, String definition) {
    String prefix = type.group().isEmpty() ? "/api/v1" : "/apis/" + type.apiVersion();
    String scope = type.namespaced() ? "/namespaces/{namespace}" : "";
    String id = operationGroup(type) + (type.namespaced() ? "Namespaced" : "") + type.kind();
    Gvk gvk = new Gvk(type.group(), type.version(), type.kind());
    String list = definition + "List";
    String kindText = " of kind " + type.kind();
    List<Param> scoped = type.namespaced() ? List.of(NAMESPACE, PRETTY) : List.of(PRETTY);
    List<Param> named = new ArrayList<>();
    named.add(new Param("name", "path", "string", "name of the " + type.kind()));
    named.addAll(scoped);
    String collection = prefix + scope + "/" + type.plural();
    String item = collection + "/{name}";

    List<Path> paths = new ArrayList<>();
    paths.add(
        new Path(
            collection,
            scoped,
            List.of(
                new Operation(
                    "get",
                    "list",
                    "list" + id,
                    "list or watch objects" + kindText,
                    LIST,
                    null,
                    list,
                    gvk),
                new Operation(
                    "post",
                    "post",
                    "create" + id,
                    "create a " + type.kind(),
                    WRITE,
                    definition,
                    definition,
                    gvk),
                new Operation(
                    "delete",
                    "deletecollection",
                    "delete"
                        + operationGroup(type)
                        + "Collection"
                        + id.substring(operationGroup(type).length()),
                    "delete collection of " + type.kind(),
                    concat(LIST, DELETE),
                    DELETE_OPTIONS,
                    STATUS,
                    gvk))));
    paths.add(
        new Path(
            item,
            named,
            List.of(
                new Operation(
                    "get",
                    "get",
                    "read" + id,
                    "read the specified " + type.kind(),
                    List.of(),
                    null,
                    definition,
                    gvk),
                new Operation(
                    "put",
                    "put",
                    "replace" + id,
                    "replace the specified " + type.kind(),
                    WRITE,
                    definition,
                    definition,
                    gvk),
                patch(
                    "patch" + id, "partially update the specified " + type.kind(), definition, gvk),
                new Operation(
                    "delete",
                    "delete",
                    "delete" + id,
                    "delete a " + type.kind(),
                    DELETE,
                    DELETE_OPTIONS,
                    STATUS,
                    gvk))));
    for (String sub : type.subresources()) {
      subresource(type, sub, item, named, id, definition, gvk).ifPresent(paths::add);
    }
    if (type.namespaced()) {
      paths.add(
          new Path(
              prefix + "/" + type.plural(),
              List.of(PRETTY),
              List.of(
                  new Operation(
                      "get",
                      "list",
                      "list" + operationGroup(type) + type.kind() + "ForAllNamespaces",
                      "list or watch objects" + kindText,
                      LIST,
                      null,
                      list,
                      gvk))));
    }
    paths.add(
        new Path(
            prefix + "/watch" + scope + "/" + type.plural(),
            scoped,
            List.of(
                new Operation(
                    "get",
                    "watchlist",
                    "watch" + id + "List",
                    "watch individual changes to a list of " + type.kind(),
                    LIST,
                    null,
                    WATCH_EVENT,
                    gvk))));
    paths.add(
        new Path(
            prefix + "/watch" + scope + "/" + type.plural() + "/{name}",
            named,
            List.of(
                new Operation(
                    "get",
                    "watch",
                    "watch" + id,
                    "watch changes to an object" + kindText,
                    LIST,
                    null,
                    WATCH_EVENT,
                    gvk))));
    return paths;
  }

  private static java.util.Optional<Path> subresource(
      ResourceType type,
      String sub,
      String item,
      List<Param> named,
      String id,
      String definition,
      Gvk gvk) {
    String suffix = sub.substring(0, 1).toUpperCase(Locale.ROOT) + sub.substring(1);
    String path = item + "/" + sub;
    if (sub.equals("binding")) {
      return java.util.Optional.of(
          new Path(
              path,
              named,
              List.of(
                  new Operation(
                      "post",
                      "post",
                      "create" + id + suffix,
                      "create binding of a " + type.kind(),
                      WRITE,
                      BINDING,
                      BINDING,
                      new Gvk("", "v1", "Binding")))));
    }
    String schema = sub.equals("scale") ? SCALE : definition;
    Gvk subGvk = sub.equals("scale") ? new Gvk("autoscaling", "v1", "Scale") : gvk;
    if (!sub.equals("scale") && !sub.equals("status")) {
      return java.util.Optional.empty();
    }
    String of = " " + sub + " of the specified " + type.kind();
    return java.util.Optional.of(
        new Path(
            path,
            named,
            List.of(
                new Operation(
                    "get",
                    "get",
                    "read" + id + suffix,
                    "read" + of,
                    List.of(),
                    null,
                    schema,
                    subGvk),
                new Operation(
                    "put",
                    "put",
                    "replace" + id + suffix,
                    "replace" + of,
                    WRITE,
                    schema,
                    schema,
                    subGvk),
                patch("patch" + id + suffix, "partially update" + of, schema, subGvk))));
  }

  private static Operation patch(String id, String description, String answer, Gvk gvk) {
    List<Param> params = new ArrayList<>(WRITE);
    params.add(query("force", "boolean", "Force is going to \"force\" Apply requests."));
    return new Operation("patch", "patch", id, description, params, PATCH, answer, gvk);
  }

  /** "CoreV1", "AppsV1", "CoordinationV1": how upstream's operation ids name a group version. */
  static String operationGroup(ResourceType type) {
    String group = type.group().isEmpty() ? "core" : type.group().split("\\.")[0];
    return group.substring(0, 1).toUpperCase(Locale.ROOT)
        + group.substring(1)
        + type.version().substring(0, 1).toUpperCase(Locale.ROOT)
        + type.version().substring(1);
  }

  private static List<Param> concat(List<Param> a, List<Param> b) {
    List<Param> all = new ArrayList<>(a);
    b.stream()
        .filter(p -> all.stream().noneMatch(q -> q.name().equals(p.name())))
        .forEach(all::add);
    return all;
  }
}
