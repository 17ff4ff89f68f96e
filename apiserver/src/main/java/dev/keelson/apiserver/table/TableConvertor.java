package dev.keelson.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Server-side printing: turns the objects of a get, list or watch into the meta.k8s.io Table that
 * kubectl asks for ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io,...}) and prints as
 * it is. Columns and cells follow upstream's printers (pkg/printers/internalversion), so {@code
 * kubectl get} reads as against a real API server; resources without a printer get NAME and AGE.
 * Like upstream, every cell of the wide columns is always sent and the client drops the priority 1
 * columns unless asked for {@code -o wide}.
 *
 * <p>Stateless and thread-safe. The rows share the input's nodes (metadata or the whole object), so
 * the objects must not change until the Table has been written.
 */
public final class TableConvertor {

  private static final Map<String, Printer> PRINTERS =
      Map.ofEntries(
          Map.entry("pods", new PodPrinter()),
          Map.entry("nodes", NodePrinter.printer()),
          Map.entry("services", NetworkPrinters.services()),
          Map.entry("endpoints", NetworkPrinters.endpoints()),
          Map.entry("endpointslices", NetworkPrinters.endpointSlices()),
          Map.entry("configmaps", BasicPrinters.configMaps()),
          Map.entry("secrets", BasicPrinters.secrets()),
          Map.entry("serviceaccounts", BasicPrinters.serviceAccounts()),
          Map.entry("namespaces", BasicPrinters.namespaces()),
          Map.entry("events", EventPrinter.printer()),
          Map.entry("deployments", WorkloadPrinters.deployments()),
          Map.entry("replicasets", WorkloadPrinters.replicaSets()),
          Map.entry("jobs", WorkloadPrinters.jobs()),
          Map.entry("horizontalpodautoscalers", HpaPrinter.printer()),
          Map.entry("leases", BasicPrinters.leases()));

  private static final Printer FALLBACK = BasicPrinters.fallback();

  /** Whether this Accept header asks for a Table first (before plain JSON). */
  public static boolean wantsTable(String acceptHeader) {
    return AcceptHeader.tableVersion(acceptHeader).isPresent();
  }

  /**
   * The Table version the Accept header asks for, to answer in the same apiVersion; empty when the
   * client wants plain JSON.
   */
  public static Optional<TableVersion> requestedVersion(String acceptHeader) {
    return AcceptHeader.tableVersion(acceptHeader);
  }

  /** A meta.k8s.io/v1 Table with column definitions, as for a get or a list. */
  public ObjectNode toTable(
      String resource,
      List<ObjectNode> objects,
      IncludeObject include,
      String resourceVersion,
      String continueToken,
      Instant now) {
    return toTable(
        resource, objects, include, resourceVersion, continueToken, now, TableVersion.V1, false);
  }

  /**
   * A Table in the given version.
   *
   * @param resource the plural resource name, e.g. "pods"; one without a printer gets NAME, AGE
   * @param resourceVersion the list's (or the single object's) resourceVersion; null or "" omits it
   * @param continueToken the list's continue token; null or "" omits it
   * @param now the time ages are measured to
   * @param noHeaders true to send no column definitions, as upstream does for every watch event
   *     after the first: the client keeps the columns it was sent first
   */
  public ObjectNode toTable(
      String resource,
      List<ObjectNode> objects,
      IncludeObject include,
      String resourceVersion,
      String continueToken,
      Instant now,
      TableVersion version,
      boolean noHeaders) {
    Printer printer = PRINTERS.getOrDefault(resource, FALLBACK);
    ObjectNode table = Json.object();
    table.put("kind", "Table");
    table.put("apiVersion", version.apiVersion());
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    if (continueToken != null && !continueToken.isEmpty()) {
      metadata.put("continue", continueToken);
    }
    if (noHeaders) {
      table.putNull("columnDefinitions");
    } else {
      ArrayNode columns = table.putArray("columnDefinitions");
      printer.columns().forEach(c -> columns.add(c.toJson()));
    }
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode object : objects) {
      rows.add(row(printer, object, include, version, now));
    }
    return table;
  }

  private static ObjectNode row(
      Printer printer,
      ObjectNode object,
      IncludeObject include,
      TableVersion version,
      Instant now) {
    ObjectNode row = Json.object();
    ArrayNode cells = row.putArray("cells");
    for (Object cell : printer.cells(object, now)) {
      if (cell instanceof Long n) {
        cells.add(n);
      } else {
        cells.add(String.valueOf(cell));
      }
    }
    ArrayNode conditions = printer.conditions(object);
    if (conditions != null) {
      row.set("conditions", conditions);
    }
    switch (include) {
      case NONE -> row.putNull("object");
      case OBJECT -> row.set("object", object);
      case METADATA -> row.set("object", partialObjectMetadata(object, version));
    }
    return row;
  }

  /** What upstream sends by default: the object's metadata under the Table's own apiVersion. */
  private static ObjectNode partialObjectMetadata(JsonNode object, TableVersion version) {
    ObjectNode partial = Json.object();
    partial.put("kind", "PartialObjectMetadata");
    partial.put("apiVersion", version.apiVersion());
    JsonNode metadata = object.get("metadata");
    partial.set("metadata", metadata == null ? Json.object() : metadata);
    return partial;
  }
}
