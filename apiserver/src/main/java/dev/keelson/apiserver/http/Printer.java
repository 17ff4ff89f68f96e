package dev.keelson.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.apiserver.table.IncludeObject;
import dev.keelson.apiserver.table.TableConvertor;
import dev.keelson.apiserver.table.TableVersion;
import dev.keelson.projection.StoredObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers reads in the form the client accepts: the objects as JSON, or (what kubectl get asks for)
 * a Table of them with upstream's columns.
 */
final class Printer {

  private final TableConvertor tables = new TableConvertor();

  void object(HttpServerRequest request, ResourceType type, StoredObject object) {
    Optional<TableVersion> table = TableConvertor.requestedVersion(request.getHeader("Accept"));
    if (table.isPresent()) {
      table(request, type, List.of(object), object.resourceVersion(), null, table.get());
      return;
    }
    Responses.raw(request, 200, object.json());
  }

  void list(HttpServerRequest request, ResourceType type, ListPages.Page page) {
    Optional<TableVersion> table = TableConvertor.requestedVersion(request.getHeader("Accept"));
    if (table.isPresent()) {
      table(
          request,
          type,
          page.items(),
          Long.toString(page.revision()),
          page.continueToken(),
          table.get());
      return;
    }
    Buffer body = Buffer.buffer(256 + page.items().size() * 512);
    body.appendString(
        "{\"kind\":\""
            + type.kind()
            + "List\",\"apiVersion\":\""
            + type.apiVersion()
            + "\",\"metadata\":{\"resourceVersion\":\""
            + page.revision()
            + "\"");
    if (page.continueToken() != null) {
      body.appendString(
          ",\"continue\":\""
              + page.continueToken()
              + "\",\"remainingItemCount\":"
              + page.remaining());
    }
    body.appendString("},\"items\":[");
    boolean first = true;
    for (StoredObject object : page.items()) {
      if (!first) {
        body.appendByte((byte) ',');
      }
      body.appendBytes(object.json());
      first = false;
    }
    body.appendString("]}");
    Responses.raw(request, 200, body);
  }

  /**
   * How a watch renders each event's object: as stored, or as a one-row Table when the client asked
   * for Tables (column definitions on the first event only, as upstream).
   */
  Function<StoredObject, byte[]> watchRendering(HttpServerRequest request, ResourceType type) {
    Optional<TableVersion> table = TableConvertor.requestedVersion(request.getHeader("Accept"));
    if (table.isEmpty()) {
      return StoredObject::json;
    }
    IncludeObject include = IncludeObject.parse(request.getParam("includeObject"));
    boolean[] first = {true};
    return object -> {
      ObjectNode row =
          tables.toTable(
              type.plural(),
              List.of(object.object()),
              include,
              object.resourceVersion(),
              null,
              Instant.now(),
              table.get(),
              !first[0]);
      first[0] = false;
      return Json.bytes(row);
    };
  }

  private void table(
      HttpServerRequest request,
      ResourceType type,
      List<StoredObject> items,
      String resourceVersion,
      String continueToken,
      TableVersion version) {
    IncludeObject include;
    try {
      include = IncludeObject.parse(request.getParam("includeObject"));
    } catch (IllegalArgumentException e) {
      Responses.fail(request, ApiStatus.badRequest(e.getMessage()));
      return;
    }
    List<ObjectNode> objects = new ArrayList<>(items.size());
    for (StoredObject item : items) {
      objects.add(item.object());
    }
    ObjectNode table =
        tables.toTable(
            type.plural(),
            objects,
            include,
            resourceVersion,
            continueToken,
            Instant.now(),
            version,
            false);
    Responses.json(request, 200, table);
  }
}
