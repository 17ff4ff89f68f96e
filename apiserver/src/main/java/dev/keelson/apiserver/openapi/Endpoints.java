package dev.keelson.apiserver.openapi;

import dev.keelson.apiserver.discovery.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The REST endpoints of one resource as upstream's OpenAPI lists them: the collection, the item,
 * its subresources and the watch paths, each operation with its query parameters, body, answer and
 * group-version-kind. Written once here and rendered as OpenAPI v2 and v3 by {@link PathJson}.
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

  /**
   * What the operations of a path act on. Operation ids are {@code verb + group + rest}, as in
   * listCoreV1NamespacedPod or deleteAppsV1CollectionNamespacedDeployment.
   */
  private record Target(
      String kind, String group, String rest, String schema, Gvk gvk, String sub) {}

  static final String STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
  static final String DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
  static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
  static final String WATCH_EVENT = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";
  static final String SCALE = "io.k8s.api.autoscaling.v1.Scale";
  static final String BINDING = "io.k8s.api.core.v1.Binding";

  private static final Param PRETTY =
      query("pretty", "string", "If 'true', then the output is pretty printed.");
  private static final Param NAMESPACE =
      new Param("namespace", "path", "string", "object name and auth scope, such as for teams");
  private static final Param DRY_RUN =
      query("dryRun", "string", "When present, modifications are not persisted. Valid: All");
  private static final List<Param> WRITE =
      List.of(
          DRY_RUN,
          query("fieldManager", "string", "A name of the actor or entity making these changes."),
          query(
              "fieldValidation",
              "string",
              "How the server handles unknown or duplicate fields: Ignore, Warn or Strict."));
  private static final List<Param> PATCH_PARAMS =
      concat(WRITE, List.of(query("force", "boolean", "Force is going to \"force\" Apply.")));
  private static final List<Param> LIST =
      List.of(
          query("allowWatchBookmarks", "boolean", "Requests watch events of type BOOKMARK."),
          query("continue", "string", "Continues a list from where an earlier one stopped."),
          query("fieldSelector", "string", "Restricts the objects returned by their fields."),
          query("labelSelector", "string", "Restricts the objects returned by their labels."),
          query("limit", "integer", "The maximum number of objects to return."),
          query("resourceVersion", "string", "The resource version to serve the request at."),
          query("resourceVersionMatch", "string", "How resourceVersion applies to a list."),
          query("sendInitialEvents", "boolean", "Starts a watch with the current objects."),
          query("timeoutSeconds", "integer", "Timeout for the list/watch call."),
          query("watch", "boolean", "Streams changes as add, update and remove events."));
  private static final List<Param> DELETE =
      List.of(
          DRY_RUN,
          query("gracePeriodSeconds", "integer", "Seconds before the object is deleted."),
          query("orphanDependents", "boolean", "Deprecated: use propagationPolicy."),
          query("propagationPolicy", "string", "Orphan, Background or Foreground."));

  private Endpoints() {}

  /**
   * The paths of {@code type}, whose schema is named {@code schema} and its list's {@code +List}.
   */
  static List<Path> of(ResourceType type, String schema) {
    String prefix = type.group().isEmpty() ? "/api/v1" : "/apis/" + type.apiVersion();
    String scope = type.namespaced() ? "/namespaces/{namespace}" : "";
    String group = operationGroup(type);
    String kind = type.kind();
    Gvk gvk = new Gvk(type.group(), type.version(), kind);
    Target self =
        new Target(kind, group, (type.namespaced() ? "Namespaced" : "") + kind, schema, gvk, null);
    List<Param> scoped = type.namespaced() ? List.of(NAMESPACE, PRETTY) : List.of(PRETTY);
    List<Param> named = new ArrayList<>();
    named.add(new Param("name", "path", "string", "name of the " + kind));
    named.addAll(scoped);
    String collection = prefix + scope + "/" + type.plural();
    String item = collection + "/{name}";

    List<Path> paths = new ArrayList<>();
    paths.add(path(collection, scoped, self, "list", "post", "deletecollection"));
    paths.add(path(item, named, self, "get", "put", "patch", "delete"));
    for (String sub : type.subresources()) {
      String rest = self.rest() + capitalized(sub);
      if (sub.equals("status")) {
        paths.add(
            path(
                item + "/status",
                named,
                new Target(kind, group, rest, schema, gvk, sub),
                "get",
                "put",
                "patch"));
      } else if (sub.equals("scale")) {
        Gvk scale = new Gvk("autoscaling", "v1", "Scale");
        paths.add(
            path(
                item + "/scale",
                named,
                new Target(kind, group, rest, SCALE, scale, sub),
                "get",
                "put",
                "patch"));
      } else if (sub.equals("binding")) {
        Gvk binding = new Gvk("", "v1", "Binding");
        paths.add(
            path(
                item + "/binding",
                named,
                new Target(kind, group, rest, BINDING, binding, sub),
                "post"));
      }
    }
    if (type.namespaced()) {
      Target all = new Target(kind, group, kind + "ForAllNamespaces", schema, gvk, null);
      paths.add(path(prefix + "/" + type.plural(), List.of(PRETTY), all, "list"));
    }
    String watch = prefix + "/watch" + scope + "/" + type.plural();
    paths.add(path(watch, scoped, self, "watchlist"));
    paths.add(path(watch + "/{name}", named, self, "watch"));
    return paths;
  }

  private static Path path(String path, List<Param> params, Target target, String... actions) {
    List<Operation> operations = new ArrayList<>();
    for (String action : actions) {
      operations.add(operation(action, target));
    }
    return new Path(path, params, operations);
  }

  /** An operation as kube-apiserver describes the action on the target. */
  private static Operation operation(String action, Target t) {
    String id = t.group() + t.rest();
    String of =
        (t.sub() == null ? " the specified " : " " + t.sub() + " of the specified ") + t.kind();
    String a = t.sub() == null ? " a " + t.kind() : " " + t.sub() + " of a " + t.kind();
    return switch (action) {
      case "list" ->
          new Operation(
              "get",
              action,
              "list" + id,
              "list or watch objects of kind " + t.kind(),
              LIST,
              null,
              t.schema() + "List",
              t.gvk());
      case "watchlist" ->
          new Operation(
              "get",
              action,
              "watch" + id + "List",
              "watch individual changes to a list of " + t.kind(),
              LIST,
              null,
              WATCH_EVENT,
              t.gvk());
      case "watch" ->
          new Operation(
              "get",
              action,
              "watch" + id,
              "watch changes to an object of kind " + t.kind(),
              LIST,
              null,
              WATCH_EVENT,
              t.gvk());
      case "get" ->
          new Operation(
              "get", action, "read" + id, "read" + of, List.of(), null, t.schema(), t.gvk());
      case "post" ->
          new Operation(
              "post", action, "create" + id, "create" + a, WRITE, t.schema(), t.schema(), t.gvk());
      case "put" ->
          new Operation(
              "put",
              action,
              "replace" + id,
              "replace" + of,
              WRITE,
              t.schema(),
              t.schema(),
              t.gvk());
      case "patch" ->
          new Operation(
              "patch",
              action,
              "patch" + id,
              "partially update" + of,
              PATCH_PARAMS,
              PATCH,
              t.schema(),
              t.gvk());
      case "delete" ->
          new Operation(
              "delete",
              action,
              "delete" + id,
              "delete" + a,
              DELETE,
              DELETE_OPTIONS,
              STATUS,
              t.gvk());
      case "deletecollection" ->
          new Operation(
              "delete",
              action,
              "delete" + t.group() + "Collection" + t.rest(),
              "delete collection of " + t.kind(),
              concat(LIST, DELETE),
              DELETE_OPTIONS,
              STATUS,
              t.gvk());
      default -> throw new IllegalArgumentException("no such action: " + action);
    };
  }

  /** "CoreV1", "AppsV1", "CoordinationV1": how upstream's operation ids name a group version. */
  static String operationGroup(ResourceType type) {
    String group = type.group().isEmpty() ? "core" : type.group().split("\\.")[0];
    return capitalized(group) + capitalized(type.version());
  }

  private static String capitalized(String word) {
    return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
  }

  private static Param query(String name, String type, String description) {
    return new Param(name, "query", type, description);
  }

  private static List<Param> concat(List<Param> a, List<Param> b) {
    List<Param> all = new ArrayList<>(a);
    b.stream()
        .filter(p -> all.stream().noneMatch(q -> q.name().equals(p.name())))
        .forEach(all::add);
    return List.copyOf(all);
  }
}
