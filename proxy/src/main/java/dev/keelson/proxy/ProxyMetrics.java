package dev.keelson.proxy;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy's counters, per Service port and endpoint, served in the Prometheus text format:
 * connections (accepted and open), bytes each way, and errors by reason. Updated from the event
 * loops without locks.
 */
final class ProxyMetrics {

  /** Why a connection failed. */
  enum Failure {
    /** The Service port had no ready endpoint: the connection was refused at once. */
    NO_ENDPOINTS("no_endpoints"),
    /** No endpoint accepted the connection. */
    CONNECT("connect"),
    /** The connection broke with an error after it was made. */
    RESET("reset");

    final String label;

    Failure(String label) {
      this.label = label;
    }
  }

  /** The counters of one Service port and endpoint (endpoint "" for failures before one). */
  static final class Series {
    final LongAdder connections = new LongAdder();
    final LongAdder active = new LongAdder();
    final LongAdder bytesToEndpoint = new LongAdder();
    final LongAdder bytesFromEndpoint = new LongAdder();
    final Map<Failure, LongAdder> failures = new ConcurrentHashMap<>();

    void failed(Failure failure) {
      failures.computeIfAbsent(failure, f -> new LongAdder()).increment();
    }
  }

  private record Key(String service, String endpoint) {}

  private final Map<Key, Series> series = new ConcurrentHashMap<>();
  private final LongAdder listeners = new LongAdder();
  private final LongAdder listenFailures = new LongAdder();

  Series of(ServicePortName service, Backend endpoint) {
    return series.computeIfAbsent(
        new Key(service.toString(), endpoint == null ? "" : endpoint.toString()),
        k -> new Series());
  }

  void listening(int delta) {
    listeners.add(delta);
  }

  void listenFailed() {
    listenFailures.increment();
  }

  /** Connections open now, over every Service port. */
  long active() {
    return series.values().stream().mapToLong(s -> s.active.sum()).sum();
  }

  /** Drops the series of endpoints no route has any more, once they hold no connection. */
  void retain(Set<String> liveSeries) {
    series
        .entrySet()
        .removeIf(
            e ->
                !liveSeries.contains(e.getKey().service() + "|" + e.getKey().endpoint())
                    && e.getValue().active.sum() == 0
                    && !e.getKey().endpoint().isEmpty());
  }

  static String seriesName(ServicePortName service, Backend endpoint) {
    return service + "|" + endpoint;
  }

  /** The Prometheus text exposition (format 0.0.4). */
  String render() {
    StringBuilder out = new StringBuilder(4096);
    var sorted =
        series.entrySet().stream()
            .sorted(
                Comparator.comparing((Map.Entry<Key, Series> e) -> e.getKey().service())
                    .thenComparing(e -> e.getKey().endpoint()))
            .toList();
    header(out, "keelson_proxy_connections_total", "counter", "Connections proxied, by endpoint.");
    for (var e : sorted) {
      if (!e.getKey().endpoint().isEmpty()) {
        line(out, "keelson_proxy_connections_total", e.getKey(), null, e.getValue().connections);
      }
    }
    header(out, "keelson_proxy_active_connections", "gauge", "Connections open now.");
    for (var e : sorted) {
      if (!e.getKey().endpoint().isEmpty()) {
        line(out, "keelson_proxy_active_connections", e.getKey(), null, e.getValue().active);
      }
    }
    header(
        out,
        "keelson_proxy_bytes_total",
        "counter",
        "Bytes copied: direction=\"to_endpoint\" from clients, \"from_endpoint\" back to them.");
    for (var e : sorted) {
      if (!e.getKey().endpoint().isEmpty()) {
        line(
            out,
            "keelson_proxy_bytes_total",
            e.getKey(),
            "direction=\"to_endpoint\"",
            e.getValue().bytesToEndpoint);
        line(
            out,
            "keelson_proxy_bytes_total",
            e.getKey(),
            "direction=\"from_endpoint\"",
            e.getValue().bytesFromEndpoint);
      }
    }
    header(
        out,
        "keelson_proxy_errors_total",
        "counter",
        "Connections that failed: no ready endpoint, no endpoint answered, or broken.");
    for (var e : sorted) {
      for (Failure failure : Failure.values()) {
        LongAdder count = e.getValue().failures.get(failure);
        if (count != null) {
          line(
              out,
              "keelson_proxy_errors_total",
              e.getKey(),
              "reason=\"" + failure.label + "\"",
              count);
        }
      }
    }
    header(out, "keelson_proxy_listeners", "gauge", "Addresses the proxy listens on.");
    out.append("keelson_proxy_listeners ").append(listeners.sum()).append('\n');
    header(
        out,
        "keelson_proxy_listen_errors_total",
        "counter",
        "Attempts to listen on a Service's address that failed.");
    out.append("keelson_proxy_listen_errors_total ").append(listenFailures.sum()).append('\n');
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void line(StringBuilder out, String name, Key key, String extra, LongAdder value) {
    out.append(name).append("{service=\"").append(escape(key.service())).append('"');
    out.append(",endpoint=\"").append(escape(key.endpoint())).append('"');
    if (extra != null) {
      out.append(',').append(extra);
    }
    out.append("} ").append(value.sum()).append('\n');
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
