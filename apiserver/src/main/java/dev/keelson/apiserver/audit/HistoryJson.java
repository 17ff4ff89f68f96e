package dev.keelson.apiserver.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import dev.keelson.apiserver.discovery.Discovery;
import dev.keelson.history.HistoryEntry;
import java.util.List;

/**
 * The JSON of a history page: a {@code HistoryList} of audit.keelson.dev/v1, whose items are the
 * records of the log, oldest first, each with who, when, what op, the fold's verdict and the JSON
 * patch it made.
 */
public final class HistoryJson {

  public static final String API_VERSION = Discovery.AUDIT_GROUP + "/v1";

  private HistoryJson() {}

  /**
   * @param revision the revision the history is as of (the list's resourceVersion)
   * @param continueToken the token of the next page, or null for the last
   */
  public static ObjectNode list(List<HistoryEntry> entries, long revision, String continueToken) {
    ObjectNode list = Json.object();
    list.put("kind", "HistoryList");
    list.put("apiVersion", API_VERSION);
    ObjectNode metadata = list.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(revision));
    if (continueToken != null) {
      metadata.put("continue", continueToken);
    }
    ArrayNode items = list.putArray("items");
    for (HistoryEntry entry : entries) {
      items.add(item(entry));
    }
    return list;
  }

  static ObjectNode item(HistoryEntry entry) {
    ObjectNode item = Json.object();
    item.put("revision", Long.toString(entry.revision()));
    item.put("time", entry.time().toString());
    if (entry.actor() != null) {
      ObjectNode actor = item.putObject("actor");
      actor.put("user", entry.actor().user());
      ArrayNode groups = actor.putArray("groups");
      entry.actor().groups().forEach(groups::add);
    }
    if (entry.requestId() != null) {
      item.put("requestId", entry.requestId());
    }
    item.put("op", entry.op().name());
    item.put("verdict", entry.applied() ? "Applied" : "Rejected");
    if (!entry.applied()) {
      item.put("reason", entry.message());
      item.put("rejection", entry.rejection().name());
    }
    ObjectNode key = item.putObject("key");
    key.put("group", entry.key().group());
    key.put("kind", entry.key().kind());
    key.put("namespace", entry.key().namespace());
    key.put("name", entry.key().name());
    if (entry.uid() != null) {
      item.put("uid", entry.uid());
    }
    item.set("patch", entry.patch());
    return item;
  }
}
