package dev.keelson.e2e.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A watch over plain HTTP streaming (one JSON event a line), as kubectl's watches are: every event
 * of a collection from now on goes to {@code handler} (type, object). The tests use it to see every
 * pod a controller ever creates, however briefly it lives.
 */
final class HttpWatch implements AutoCloseable {

  private final Thread reader;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile InputStream body;
  private volatile boolean closed;

  /** Watches {@code path} (say /api/v1/namespaces/x/pods) from the current state on. */
  HttpWatch(
      String server, String token, String caPem, String path, BiConsumer<String, JsonNode> handler)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(trusting(caPem)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server + path + "?watch=true"))
            .header("Authorization", "Bearer " + token)
            .build();
    reader =
        new Thread(
            () -> {
              try {
                HttpResponse<InputStream> response =
                    http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                body = response.body();
                started.countDown();
                BufferedReader lines =
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  if (!line.isBlank()) {
                    JsonNode event = Json.parseObject(line);
                    handler.accept(event.path("type").asText(), event.path("object"));
                  }
                }
              } catch (Exception e) {
                if (!closed) {
                  e.printStackTrace();
                }
              } finally {
                started.countDown();
              }
            },
            "http-watch");
    reader.setDaemon(true);
    reader.start();
    if (!started.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the watch of " + path + " did not start");
    }
  }

  private static SSLContext trusting(String caPem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8))));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  @Override
  public void close() throws Exception {
    closed = true;
    InputStream b = body;
    if (b != null) {
      b.close();
    }
    reader.interrupt();
    reader.join(Duration.ofSeconds(5).toMillis());
  }
}
