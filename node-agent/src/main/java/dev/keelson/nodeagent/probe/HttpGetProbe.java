package dev.keelson.nodeagent.probe;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;

/**
 * The GET of an httpGet probe with upstream's rules (pkg/probe/http): User-Agent {@code
 * kube-probe/<version>} and {@code Accept: *}{@code /*} unless the probe sets them (an empty Accept
 * is left out), a Host header from the probe names the virtual host, HTTPS without certificate
 * checks, redirects followed on the same host name only (one to another host ends the probe as a
 * success, as upstream's warning does), 200 to 399 is success.
 */
final class HttpGetProbe {

  /** The Kubernetes version Keelson serves, as the kubelet's user agent names its own. */
  static final String USER_AGENT = "kube-probe/1.32";

  private static final int MAX_REDIRECTS = 10;

  /** The redirects Go's client follows; any other 3xx is the answer. */
  private static final Set<Integer> FOLLOWED = Set.of(301, 302, 303, 307, 308);

  private final SSLSocketFactory tls = InsecureTls.socketFactory();

  /** GETs {@code url} within {@code timeout}, redirects included; never throws. */
  ProbeOutcome get(URI url, Map<String, String> probeHeaders, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI current = url;
    boolean keepHost = true;
    for (int redirects = 0; ; redirects++) {
      HttpExchange.Response response;
      try {
        response =
            HttpExchange.get(current, headers(current, probeHeaders, keepHost), deadline, tls);
      } catch (SocketTimeoutException e) {
        return ProbeOutcome.failure(
            "Get \""
                + current
                + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
      } catch (IOException | RuntimeException e) {
        return ProbeOutcome.failure("Get \"" + current + "\": " + e.getMessage());
      }
      URI next;
      try {
        next = redirect(current, response);
      } catch (IllegalArgumentException e) {
        return ProbeOutcome.failure("Get \"" + current + "\": failed to parse Location header");
      }
      if (next == null || !Objects.equals(next.getHost(), url.getHost())) {
        return outcome(response);
      }
      if (redirects + 1 >= MAX_REDIRECTS) {
        return ProbeOutcome.failure("Get \"" + next + "\": stopped after 10 redirects");
      }
      // Like Go's client: a Host header survives a redirect only to a relative location.
      keepHost = keepHost && !URI.create(response.location()).isAbsolute();
      current = next;
    }
  }

  /** Where a redirect points, or null when the response is not one to follow. */
  private static URI redirect(URI current, HttpExchange.Response response) {
    if (!FOLLOWED.contains(response.status()) || response.location() == null) {
      return null;
    }
    URI next = current.resolve(URI.create(response.location()));
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("http") || scheme.equals("https") ? next : null;
  }

  private static ProbeOutcome outcome(HttpExchange.Response response) {
    int status = response.status();
    if (status >= 300 && status < 400) {
      return ProbeOutcome.success("Probe terminated redirects, Response body: " + response.body());
    }
    if (status >= 200 && status < 300) {
      return ProbeOutcome.success(response.body());
    }
    // Upstream leaves the body out: it may hold what the prober should not publish.
    return ProbeOutcome.failure("HTTP probe failed with statuscode: " + status);
  }

  /** The headers sent: Host first, then the probe's own, then the defaults it did not set. */
  private static Map<String, String> headers(
      URI url, Map<String, String> probeHeaders, boolean keepHost) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", url.getRawAuthority());
    boolean userAgent = false;
    boolean accept = false;
    for (Map.Entry<String, String> header : probeHeaders.entrySet()) {
      String name = header.getKey();
      if (!valid(name) || !valid(header.getValue())) {
        throw new IllegalArgumentException("invalid header field " + name);
      }
      userAgent |= name.equalsIgnoreCase("User-Agent");
      accept |= name.equalsIgnoreCase("Accept");
      if (name.equalsIgnoreCase("Host")) {
        if (keepHost && !header.getValue().isEmpty()) {
          headers.put("Host", header.getValue());
        }
      } else if (!(name.equalsIgnoreCase("Accept") && header.getValue().isEmpty())) {
        headers.put(name, header.getValue());
      }
    }
    if (!userAgent) {
      headers.put("User-Agent", USER_AGENT);
    }
    if (!accept) {
      headers.put("Accept", "*/*");
    }
    return headers;
  }

  private static boolean valid(String text) {
    return text.indexOf('\r') < 0 && text.indexOf('\n') < 0;
  }
}
