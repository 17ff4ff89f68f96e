package dev.keelson.apiserver.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The query of {@code GET pods/NAME/log}, read and checked as upstream's PodLogOptions, and the
 * query the node agent is asked with (only what was set, as upstream's LogLocation passes it on).
 *
 * @param container the container asked for, or "" for the pod's only one
 */
record PodLogOptions(
    String container,
    boolean follow,
    boolean previous,
    boolean timestamps,
    Long sinceSeconds,
    String sinceTime,
    Long tailLines,
    Long limitBytes) {

  /** A query refused, with its Status. */
  static final class Refused extends RuntimeException {
    final transient ApiStatus status;

    Refused(ApiStatus status) {
      super(status.message());
      this.status = status;
    }
  }

  static PodLogOptions parse(Function<String, String> param, String pod) {
    PodLogOptions options =
        new PodLogOptions(
            param.apply("container") == null ? "" : param.apply("container"),
            flag(param, "follow"),
            flag(param, "previous"),
            flag(param, "timestamps"),
            number(param, "sinceSeconds"),
            time(param, "sinceTime"),
            number(param, "tailLines"),
            number(param, "limitBytes"));
    String invalid = options.invalid();
    if (invalid != null) {
      throw new Refused(ApiStatus.invalid("PodLogOptions", pod, invalid));
    }
    return options;
  }

  /** Upstream's ValidatePodLogOptions, first error only. */
  private String invalid() {
    if (tailLines != null && tailLines < 0) {
      return "tailLines: Invalid value: " + tailLines + ": must be greater than or equal to 0";
    }
    if (limitBytes != null && limitBytes < 1) {
      return "limitBytes: Invalid value: " + limitBytes + ": must be greater than 0";
    }
    if (sinceSeconds != null && sinceTime != null) {
      return ": Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified";
    }
    if (sinceSeconds != null && sinceSeconds < 1) {
      return "sinceSeconds: Invalid value: " + sinceSeconds + ": must be greater than 0";
    }
    return null;
  }

  /** The node agent's query: {@code follow=true&tailLines=2...}, or "" when nothing was set. */
  String agentQuery() {
    Map<String, String> params = new LinkedHashMap<>();
    if (follow) {
      params.put("follow", "true");
    }
    if (previous) {
      params.put("previous", "true");
    }
    if (timestamps) {
      params.put("timestamps", "true");
    }
    put(params, "sinceSeconds", sinceSeconds);
    put(params, "sinceTime", sinceTime);
    put(params, "tailLines", tailLines);
    put(params, "limitBytes", limitBytes);
    StringJoiner query = new StringJoiner("&");
    params.forEach(
        (name, value) -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return query.toString();
  }

  private static void put(Map<String, String> params, String name, Object value) {
    if (value != null) {
      params.put(name, value.toString());
    }
  }

  /** As the API's query conversion reads a boolean: present and neither "0" nor "false" is true. */
  private static boolean flag(Function<String, String> param, String name) {
    String value = param.apply(name);
    return value != null && !value.equals("0") && !value.toLowerCase(Locale.ROOT).equals("false");
  }

  private static Long number(Function<String, String> param, String name) {
    String value = param.apply(name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Refused(
          ApiStatus.badRequest("strconv.ParseInt: parsing \"" + value + "\": invalid syntax"));
    }
  }

  /** An RFC 3339 time, passed on as given once it reads. */
  private static String time(Function<String, String> param, String name) {
    String value = param.apply(name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant().toString();
    } catch (DateTimeParseException e) {
      throw new Refused(
          ApiStatus.badRequest(
              "parsing time \"" + value + "\" as \"2006-01-02T15:04:05Z07:00\": cannot parse"));
    }
  }
}
