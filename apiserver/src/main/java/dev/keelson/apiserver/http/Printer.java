package dev.keelson.apiserver.http;

import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.projection.StoredObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Answers reads in the form the client accepts: the objects as JSON, or a Table of them. */
final class Printer {

  void object(HttpServerRequest request, ResourceType type, StoredObject object) {
    Responses.raw(request, 200, object.json());
  }

  void list(HttpServerRequest request, ResourceType type, ListPages.Page page) {
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
}
