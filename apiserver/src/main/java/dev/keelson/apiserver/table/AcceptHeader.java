package dev.keelson.apiserver.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Content negotiation for Tables, after upstream's NegotiateMediaTypeOptions: clauses are tried by
 * quality (most specific first among equals), and the first one the server can answer decides. A
 * clause counts if it names JSON (or a wildcard) and either asks for no conversion or for a Table
 * of meta.k8s.io v1 or v1beta1; any other conversion ({@code as=PartialObjectMetadataList}, an
 * unknown version) is passed over, as upstream passes over what it cannot produce.
 */
final class AcceptHeader {

  private record Clause(String type, String subType, double q, Map<String, String> params) {}

  private AcceptHeader() {}

  /** The Table version the first answerable clause asks for; empty if that clause is plain JSON. */
  static Optional<TableVersion> tableVersion(String accept) {
    if (accept == null || accept.isBlank()) {
      return Optional.empty();
    }
    for (Clause clause : clauses(accept)) {
      if (clause.q() <= 0 || !namesJson(clause)) {
        continue;
      }
      String as = clause.params().get("as");
      if (as == null) {
        return Optional.empty();
      }
      if (as.equals("Table") && TableVersion.GROUP.equals(clause.params().get("g"))) {
        TableVersion version = TableVersion.of(clause.params().get("v"));
        if (version != null) {
          return Optional.of(version);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean namesJson(Clause c) {
    return (c.type().equals("application")
            && (c.subType().equals("json") || c.subType().equals("*")))
        || (c.type().equals("*") && c.subType().equals("*"));
  }

  private static List<Clause> clauses(String accept) {
    List<Clause> clauses = new ArrayList<>();
    for (String part : accept.split(",")) {
      String[] pieces = part.split(";");
      String mediaType = pieces[0].trim().toLowerCase(Locale.ROOT);
      int slash = mediaType.indexOf('/');
      if (slash <= 0) {
        continue;
      }
      Map<String, String> params = new HashMap<>();
      double q = 1.0;
      for (int i = 1; i < pieces.length; i++) {
        String[] kv = pieces[i].split("=", 2);
        String key = kv[0].trim();
        String value = kv.length == 2 ? kv[1].trim() : "";
        if (key.equals("q")) {
          q = quality(value);
        } else {
          params.put(key, value);
        }
      }
      clauses.add(
          new Clause(mediaType.substring(0, slash), mediaType.substring(slash + 1), q, params));
    }
    // Stable: equal clauses keep the order the client wrote them in.
    clauses.sort(
        Comparator.comparingDouble(Clause::q)
            .reversed()
            .thenComparing(c -> c.type().equals("*"))
            .thenComparing(c -> c.subType().equals("*")));
    return clauses;
  }

  private static double quality(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
