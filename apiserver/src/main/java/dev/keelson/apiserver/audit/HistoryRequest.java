package dev.keelson.apiserver.audit;

import dev.keelson.api.ResourceKey;
import dev.keelson.apiserver.discovery.ResourceRegistry;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.projection.HistoryQuery;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A request of {@code GET /apis/audit.keelson.dev/v1/history}, read from its query parameters:
 * whose history (one object by {@code kind}, {@code namespace} and {@code name}, or by {@code uid};
 * or every object of a {@code kind} and/or in a {@code namespace}; or every object), which
 * revisions ({@code [sinceRevision, untilRevision)}, {@code [sinceTime, untilTime)} in RFC 3339),
 * and which page ({@code limit}, {@code continue}). A namespace given with a cluster-scoped kind is
 * ignored, as kubectl ignores it. Anything else is refused with a message that says what is wrong,
 * which the API answers as a 400.
 *
 * @param sinceRevision the first revision wanted; 0 for no bound
 * @param untilRevision the first revision not wanted; 0 for no bound
 * @param token the continue token of a later page, or null for the first
 */
public record HistoryRequest(
    HistoryQuery.Subject subject,
    long sinceRevision,
    long untilRevision,
    Instant sinceTime,
    Instant untilTime,
    int limit,
    HistoryToken token,
    String fingerprint) {

  /** How many records a page holds when the request does not say. */
  public static final int DEFAULT_LIMIT = 500;

  /** The most a page holds, whatever the request says. */
  public static final int MAX_LIMIT = 5000;

  static final List<String> PARAMETERS =
      List.of(
          "kind",
          "namespace",
          "name",
          "uid",
          "sinceRevision",
          "untilRevision",
          "sinceTime",
          "untilTime",
          "limit",
          "continue");

  /**
   * Reads a request from its parameters ({@code names}, and {@code param} for the value of each).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static HistoryRequest parse(
      Set<String> names, Function<String, String> param, ResourceRegistry registry) {
    for (String name : new TreeSet<>(names)) {
      if (!PARAMETERS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown parameter \""
                + name
                + "\"; the history takes "
                + String.join(", ", PARAMETERS));
      }
    }
    HistoryQuery.Subject subject = subject(param, registry);
    long sinceRevision = revision(param, "sinceRevision");
    long untilRevision = revision(param, "untilRevision");
    if (untilRevision != 0 && untilRevision < sinceRevision) {
      throw new IllegalArgumentException(
          "untilRevision " + untilRevision + " is before sinceRevision " + sinceRevision);
    }
    Instant sinceTime = time(param, "sinceTime");
    Instant untilTime = time(param, "untilTime");
    if (sinceTime != null && untilTime != null && untilTime.isBefore(sinceTime)) {
      throw new IllegalArgumentException("untilTime is before sinceTime");
    }
    int limit = limit(param.apply("limit"));
    String fingerprint =
        fingerprint(
            subject
                + "|"
                + sinceRevision
                + "|"
                + untilRevision
                + "|"
                + sinceTime
                + "|"
                + untilTime);
    String continueParam = blankToNull(param.apply("continue"));
    HistoryToken token = continueParam == null ? null : HistoryToken.decode(continueParam);
    if (token != null && !token.fingerprint().equals(fingerprint)) {
      throw new IllegalArgumentException(
          "the continue token belongs to another query: give it with the parameters of its first"
              + " page");
    }
    return new HistoryRequest(
        subject, sinceRevision, untilRevision, sinceTime, untilTime, limit, token, fingerprint);
  }

  private static HistoryQuery.Subject subject(
      Function<String, String> param, ResourceRegistry registry) {
    String kind = blankToNull(param.apply("kind"));
    String namespace = blankToNull(param.apply("namespace"));
    String name = blankToNull(param.apply("name"));
    String uid = blankToNull(param.apply("uid"));
    if (uid != null) {
      if (kind != null || namespace != null || name != null) {
        throw new IllegalArgumentException(
            "uid names one object by itself: give it without kind, namespace or name");
      }
      return new HistoryQuery.OfUid(uid);
    }
    ResourceType type = kind == null ? null : kind(kind, registry);
    if (type != null && !type.namespaced()) {
      namespace = null; // as kubectl does: a namespace means nothing to a cluster-scoped kind
    }
    if (name == null) {
      return new HistoryQuery.InScope(type == null ? null : type.groupKind(), namespace);
    }
    if (type == null) {
      throw new IllegalArgumentException("name needs kind (for example kind=deployments)");
    }
    if (type.namespaced() && namespace == null) {
      throw new IllegalArgumentException(type.plural() + " are namespaced: name needs namespace");
    }
    return new HistoryQuery.OfKey(
        ResourceKey.of(type.group(), type.kind(), type.namespaced() ? namespace : "", name));
  }

  /**
   * The resource a kind names, as kubectl names them: plural, singular, Kind or short name, each
   * maybe followed by {@code .group} ({@code deployments}, {@code Deployment}, {@code deploy},
   * {@code deployments.apps}). The core group wins a name two groups share.
   */
  static ResourceType kind(String text, ResourceRegistry registry) {
    String wanted = text.toLowerCase(Locale.ROOT);
    String group = null;
    int dot = wanted.indexOf('.');
    if (dot > 0) {
      group = wanted.substring(dot + 1);
      wanted = wanted.substring(0, dot);
    }
    for (ResourceType type : registry.all()) {
      if ((group == null || type.group().equals(group))
          && (type.plural().equals(wanted)
              || type.singular().equals(wanted)
              || type.kind().toLowerCase(Locale.ROOT).equals(wanted)
              || type.shortNames().contains(wanted))) {
        if (type.group().equals(ResourceRegistry.METRICS_GROUP) || type.kind().endsWith("Review")) {
          throw new IllegalArgumentException(
              type.plural() + "." + type.group() + " have no history: the change log holds none");
        }
        return type;
      }
    }
    throw new IllegalArgumentException("kind \"" + text + "\" is not a resource the API serves");
  }

  private static long revision(Function<String, String> param, String name) {
    String value = blankToNull(param.apply(name));
    if (value == null) {
      return 0;
    }
    try {
      long revision = Long.parseLong(value);
      if (revision >= 1) {
        return revision;
      }
    } catch (NumberFormatException e) {
      // Said below.
    }
    throw new IllegalArgumentException(
        name + ": \"" + value + "\" is not a revision (a resourceVersion: 1, 2, ...)");
  }

  private static Instant time(Function<String, String> param, String name) {
    String value = blankToNull(param.apply(name));
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + ": \"" + value + "\" is not an RFC 3339 time (for example 2025-01-31T17:00:00Z)");
    }
  }

  private static int limit(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_LIMIT;
    }
    long limit;
    try {
      limit = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit: \"" + value + "\" is not a number");
    }
    // As upstream's lists: a limit that is not positive is no limit, here the default one.
    return limit <= 0 ? DEFAULT_LIMIT : (int) Math.min(limit, MAX_LIMIT);
  }

  /** What a continue token must have been made for: the query read, all but its page. */
  private static String fingerprint(String query) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(query.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
