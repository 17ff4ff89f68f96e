package dev.keelson.apiserver.table;

import static dev.keelson.apiserver.table.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The resources whose rows are a count or a single field: upstream's small print handlers. */
final class BasicPrinters {

  private BasicPrinters() {}

  static Printer configMaps() {
    return Printer.of(
        List.of(
            Column.objectName(), Column.string("Data", Docs.CONFIG_MAP_DATA), Column.objectAge()),
        (cm, now) ->
            List.of(
                name(cm),
                (long) (cm.path("data").size() + cm.path("binaryData").size()),
                Fields.age(cm, now)));
  }

  static Printer secrets() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("Type", Docs.SECRET_TYPE),
            Column.string("Data", Docs.SECRET_DATA),
            Column.objectAge()),
        (secret, now) -> {
          // The API defaults an unset type to Opaque.
          String type = text(secret.path("type"));
          return List.of(
              name(secret),
              type.isEmpty() ? "Opaque" : type,
              (long) secret.path("data").size(),
              Fields.age(secret, now));
        });
  }

  static Printer serviceAccounts() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("Secrets", Docs.SERVICE_ACCOUNT_SECRETS),
            Column.objectAge()),
        (sa, now) -> List.of(name(sa), (long) sa.path("secrets").size(), Fields.age(sa, now)));
  }

  static Printer namespaces() {
    return Printer.of(
        List.of(
            Column.objectName(),
            Column.string("Status", Docs.NAMESPACE_STATUS),
            Column.objectAge()),
        (ns, now) -> {
          // The API defaults an unset phase to Active.
          String phase = text(ns.path("status").path("phase"));
          return List.of(name(ns), phase.isEmpty() ? "Active" : phase, Fields.age(ns, now));
        });
  }

  static Printer leases() {
    return Printer.of(
        List.of(
            Column.objectName(), Column.string("Holder", Docs.LEASE_HOLDER), Column.objectAge()),
        (lease, now) ->
            List.of(
                name(lease),
                text(lease.path("spec").path("holderIdentity")),
                Fields.age(lease, now)));
  }

  /**
   * Any other resource: name and age. The age column is typed "date" like the default column of a
   * custom resource, whose cell is likewise the human-readable age.
   */
  static Printer fallback() {
    return Printer.of(
        List.of(Column.objectName(), new Column("Age", "date", "", Docs.CREATION_TIMESTAMP, 0)),
        (object, now) -> List.of(name(object), Fields.age(object, now)));
  }

  private static String name(JsonNode object) {
    return text(object.path("metadata").path("name"));
  }
}
