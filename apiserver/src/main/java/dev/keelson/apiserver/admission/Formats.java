package dev.keelson.apiserver.admission;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string formats of upstream's {@code util/validation}: each check answers the list of
 * upstream's explanations for what is wrong, empty when the value is fine.
 */
final class Formats {

  static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  static final String LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  static final String LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?";
  static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
  static final String PERCENT_FMT = "[0-9]+%";
  static final String HTTP_HEADER_FMT = "[-A-Za-z0-9]+";

  private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
  private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
  private static final Pattern LABEL_KEY = Pattern.compile(LABEL_KEY_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
  private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);
  private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
  private static final Pattern HTTP_HEADER = Pattern.compile(HTTP_HEADER_FMT);
  private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  static final String LABEL_KEY_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
          + " alphanumeric character";

  private Formats() {}

  static List<String> dns1123Label(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 63) {
      errors.add(maxLength(63));
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
        errors.add("must not contain dots");
      } else {
        errors.add(
            regexError(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or"
                    + " '-', and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT,
                "my-name",
                "123-abc"));
      }
    }
    return errors;
  }

  static List<String> dns1123Subdomain(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 253) {
      errors.add(maxLength(253));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errors.add(
          regexError(
              "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters,"
                  + " '-' or '.', and must start and end with an alphanumeric character",
              DNS1123_SUBDOMAIN_FMT,
              "example.com"));
    }
    return errors;
  }

  static List<String> dns1035Label(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 63) {
      errors.add(maxLength(63));
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      errors.add(
          regexError(
              "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start"
                  + " with an alphabetic character, and end with an alphanumeric character",
              DNS1035_LABEL_FMT,
              "my-name",
              "abc-123"));
    }
    return errors;
  }

  /** Names that only need to be safe as one segment of a URL path. */
  static List<String> pathSegment(String value) {
    if (value.equals(".") || value.equals("..")) {
      return List.of("may not be '" + value + "'");
    }
    List<String> errors = new ArrayList<>();
    if (value.contains("/")) {
      errors.add("may not contain '/'");
    }
    if (value.contains("%")) {
      errors.add("may not contain '%'");
    }
    return errors;
  }

  /** A qualified name, the format of label keys: an optional DNS subdomain prefix and a name. */
  static List<String> qualifiedName(String value) {
    List<String> errors = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errors.add("prefix part must be non-empty");
      } else {
        dns1123Subdomain(prefix).forEach(msg -> errors.add("prefix part " + msg));
      }
    } else {
      errors.add(
          "a valid label key "
              + regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
              + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errors;
    }
    if (name.isEmpty()) {
      errors.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errors.add("name part " + maxLength(63));
    }
    if (!LABEL_KEY.matcher(name).matches()) {
      errors.add(
          "name part " + regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"));
    }
    return errors;
  }

  static List<String> labelValue(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 63) {
      errors.add(maxLength(63));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errors.add(
          regexError(
              "a valid label must be an empty string or consist of alphanumeric characters, '-',"
                  + " '_' or '.', and must start and end with an alphanumeric character",
              LABEL_VALUE_FMT,
              "MyValue",
              "my_value",
              "12345"));
    }
    return errors;
  }

  /** A key of a ConfigMap or Secret. */
  static List<String> configKey(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 253) {
      errors.add(maxLength(253));
    }
    if (!CONFIG_KEY.matcher(value).matches()) {
      errors.add(
          regexError(
              "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
              CONFIG_KEY_FMT,
              "key.name",
              "KEY_NAME",
              "key-name"));
    }
    if (value.equals(".")) {
      errors.add("must not be '.'");
    } else if (value.equals("..")) {
      errors.add("must not be '..'");
    } else if (value.startsWith("..")) {
      errors.add("must not start with '..'");
    }
    return errors;
  }

  /**
   * An environment variable name under the relaxed rule upstream applies since 1.32: printable
   * ASCII other than '='.
   */
  static List<String> envVarName(String value) {
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c > 0x7e || c == '=') {
        return List.of(
            "a valid environment variable name must consist only of printable ASCII characters"
                + " other than '='");
      }
    }
    return List.of();
  }

  static List<String> portName(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > 15) {
      errors.add(maxLength(15));
    }
    if (!PORT_NAME_CHARS.matcher(value).matches()) {
      errors.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!value.chars().anyMatch(c -> c >= 'a' && c <= 'z')) {
      errors.add("must contain at least one letter (a-z)");
    }
    if (value.contains("--")) {
      errors.add("must not contain consecutive hyphens");
    }
    if (!value.isEmpty() && (value.startsWith("-") || value.endsWith("-"))) {
      errors.add("must not begin or end with a hyphen");
    }
    return errors;
  }

  static List<String> portNumber(long port) {
    return port >= 1 && port <= 65535 ? List.of() : List.of(inclusiveRange(1, 65535));
  }

  static List<String> percent(String value) {
    return PERCENT.matcher(value).matches()
        ? List.of()
        : List.of(
            regexError(
                "a valid percent string must be a numeric string followed by an ending '%'",
                PERCENT_FMT, "1%", "93%"));
  }

  static List<String> httpHeaderName(String value) {
    return HTTP_HEADER.matcher(value).matches()
        ? List.of()
        : List.of(
            regexError(
                "a valid HTTP header must consist of alphanumeric characters or '-'",
                HTTP_HEADER_FMT,
                "X-Header-Name"));
  }

  /** Go's sloppy IP parse: dotted quads (leading zeros allowed) or IPv6 text. */
  static boolean isIp(String value) {
    return isIpv4(value) || isIpv6(value);
  }

  static boolean isIpv4(String value) {
    var m = IPV4.matcher(value);
    if (!m.matches()) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String value) {
    if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address
          || value.startsWith("::ffff:");
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  static String ipError() {
    return "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
  }

  static int byteLength(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }

  static String maxLength(int length) {
    return "must be no more than " + length + " characters";
  }

  static String inclusiveRange(long low, long high) {
    return "must be between " + low + " and " + high + ", inclusive";
  }

  static String regexError(String message, String format, String... examples) {
    if (examples.length == 0) {
      return message + " (regex used for validation is '" + format + "')";
    }
    StringBuilder out = new StringBuilder(message).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      out.append(i > 0 ? " or " : "").append("'").append(examples[i]).append("', ");
    }
    return out.append("regex used for validation is '").append(format).append("')").toString();
  }
}
