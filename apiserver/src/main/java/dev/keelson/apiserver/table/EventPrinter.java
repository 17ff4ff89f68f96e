package dev.keelson.apiserver.table;

import static dev.keelson.apiserver.table.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Core v1 Events, as upstream's printEvent: LAST SEEN falls back to the first sighting and then to
 * eventTime, a series carries its own count and last time, and OBJECT is "kind/name" in lower case.
 */
final class EventPrinter {

  private EventPrinter() {}

  static Printer printer() {
    return Printer.of(
        List.of(
            Column.string("Last Seen", Docs.EVENT_LAST_TIMESTAMP),
            Column.string("Type", Docs.EVENT_TYPE),
            Column.string("Reason", Docs.EVENT_REASON),
            Column.string("Object", Docs.EVENT_INVOLVED_OBJECT),
            Column.wide("Subobject", Docs.EVENT_FIELD_PATH),
            Column.wide("Source", Docs.EVENT_SOURCE),
            Column.string("Message", Docs.EVENT_MESSAGE),
            Column.wide("First Seen", Docs.EVENT_FIRST_TIMESTAMP),
            Column.wide("Count", Docs.EVENT_COUNT),
            new Column("Name", "string", "name", Docs.NAME, 1)),
        EventPrinter::cells);
  }

  private static List<Object> cells(JsonNode event, Instant now) {
    Instant first = Fields.time(event.path("firstTimestamp"));
    String firstSeen =
        first != null
            ? HumanDuration.since(first, now)
            : HumanDuration.since(Fields.time(event.path("eventTime")), now);
    Instant last = Fields.time(event.path("lastTimestamp"));
    String lastSeen = last != null ? HumanDuration.since(last, now) : firstSeen;

    long count = event.path("count").asLong(0);
    JsonNode series = event.path("series");
    if (series.isObject()) {
      lastSeen = HumanDuration.since(Fields.time(series.path("lastObservedTime")), now);
      count = series.path("count").asLong(0);
    } else if (count == 0) {
      // Events written through the new API are singletons without a count.
      count = 1;
    }

    JsonNode involved = event.path("involvedObject");
    String kind = text(involved.path("kind")).toLowerCase(Locale.ROOT);
    String name = text(involved.path("name"));
    String target = name.isEmpty() ? kind : kind + "/" + name;
    return List.of(
        lastSeen,
        text(event.path("type")),
        text(event.path("reason")),
        target,
        text(involved.path("fieldPath")),
        source(event),
        text(event.path("message")).strip(),
        firstSeen,
        count,
        text(event.path("metadata").path("name")));
  }

  /** "component, host", each falling back to the reporting controller and instance. */
  private static String source(JsonNode event) {
    String component = text(event.path("source").path("component"));
    if (component.isEmpty()) {
      component = text(event.path("reportingComponent"));
    }
    String host = text(event.path("source").path("host"));
    if (host.isEmpty()) {
      host = text(event.path("reportingInstance"));
    }
    return host.isEmpty() ? component : component + ", " + host;
  }
}
