package dev.keelson.nodeagent.probe;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET on a fresh connection, closed afterwards, all of it within a deadline: what a
 * probe needs and no more. The JDK's client would refuse a probe's Host header and keep connections
 * open between probes; the kubelet sends the one and disables the other.
 */
final class HttpExchange {

  /** What a probe looks at in a response: the first 10 KiB of the body, as upstream keeps. */
  record Response(int status, String location, String body) {}

  static final int BODY_LIMIT = 10 * 1024;
  private static final int LINE_LIMIT = 16 * 1024;

  private HttpExchange() {}

  /**
   * GETs {@code url} with exactly {@code headers} (the caller adds Host and the rest) by {@code
   * deadlineNanos} ({@link System#nanoTime()}). A connection that fails throws an exception whose
   * message is Go's dial error; running out of time throws {@link SocketTimeoutException}.
   */
  static Response get(
      URI url, Map<String, String> headers, long deadlineNanos, SSLSocketFactory tls)
      throws IOException {
    try (Socket socket = open(url, deadlineNanos, tls)) {
      OutputStream out = socket.getOutputStream();
      out.write(request(url, headers).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read(new BufferedInputStream(new DeadlineInput(socket, deadlineNanos)));
    }
  }

  /** A connection to the URL's host and port, TLS for https, established by the deadline. */
  private static Socket open(URI url, long deadlineNanos, SSLSocketFactory tls) throws IOException {
    String host = hostOf(url);
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(host, port), remainingMillis(deadlineNanos));
    } catch (SocketTimeoutException e) {
      plain.close();
      throw e;
    } catch (IOException e) {
      plain.close();
      throw new IOException(DialError.describe(e, host, port), e);
    }
    if (!https) {
      return plain;
    }
    try {
      plain.setSoTimeout(remainingMillis(deadlineNanos));
      SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true);
      secure.startHandshake();
      return secure;
    } catch (IOException e) {
      plain.close();
      throw e;
    }
  }

  /** The URL's host without IPv6 brackets. */
  static String hostOf(URI url) {
    String host = url.getHost() == null ? "" : url.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  private static String request(URI url, Map<String, String> headers) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    StringBuilder request = new StringBuilder("GET ").append(path);
    if (url.getRawQuery() != null) {
      request.append('?').append(url.getRawQuery());
    }
    request.append(" HTTP/1.1\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    return request.append("Connection: close\r\n\r\n").toString();
  }

  private static Response read(InputStream in) throws IOException {
    String statusLine;
    int status;
    do { // an interim 1xx answer (103 Early Hints) comes before the real one
      statusLine = line(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
        throw new IOException("malformed HTTP response \"" + statusLine + "\"");
      }
      status = Integer.parseInt(parts[1]);
    } while (status >= 100 && status < 200 && skipHeaders(in));
    String location = null;
    String transferEncoding = "";
    long length = -1;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      String name = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = colon < 0 ? "" : header.substring(colon + 1).trim();
      switch (name) {
        case "location" -> location = value;
        case "transfer-encoding" -> transferEncoding = value.toLowerCase(Locale.ROOT);
        case "content-length" -> length = parseLength(value);
        default -> {}
      }
    }
    boolean bodiless = status == 204 || status == 304;
    String body =
        bodiless ? "" : transferEncoding.contains("chunked") ? chunked(in) : plain(in, length);
    return new Response(status, location, body);
  }

  private static boolean skipHeaders(InputStream in) throws IOException {
    while (!line(in).isEmpty()) {}
    return true;
  }

  private static long parseLength(String value) throws IOException {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length \"" + value + "\"");
    }
  }

  private static String plain(InputStream in, long length) throws IOException {
    int wanted = length < 0 ? BODY_LIMIT : (int) Math.min(length, BODY_LIMIT);
    return new String(in.readNBytes(wanted), StandardCharsets.UTF_8);
  }

  private static String chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (body.size() < BODY_LIMIT) {
      String sizeLine = line(in).split(";", 2)[0].trim();
      int size;
      try {
        size = Integer.parseInt(sizeLine, 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunked encoding");
      }
      if (size == 0) {
        break;
      }
      body.write(in.readNBytes(Math.min(size, BODY_LIMIT - body.size())));
      if (body.size() < BODY_LIMIT) {
        line(in); // the CRLF after the chunk
      }
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  /** One line without its CRLF; the end of the stream ends the last line. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        if (line.size() == 0) {
          throw new IOException("unexpected EOF");
        }
        break;
      }
      if (line.size() >= LINE_LIMIT) {
        throw new IOException("header line too long");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }

  /** Each read waits at most until the deadline, however slowly the bytes trickle in. */
  private static final class DeadlineInput extends FilterInputStream {
    private final Socket socket;
    private final long deadlineNanos;

    DeadlineInput(Socket socket, long deadlineNanos) throws IOException {
      super(socket.getInputStream());
      this.socket = socket;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read() throws IOException {
      socket.setSoTimeout(remainingMillis(deadlineNanos));
      return super.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      socket.setSoTimeout(remainingMillis(deadlineNanos));
      return super.read(buffer, offset, length);
    }
  }
}
