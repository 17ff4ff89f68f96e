package dev.keelson.cli.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where the API is and how to be let in, from a kubeconfig's current context, as kubectl reads it:
 * the cluster's server and CA ({@code certificate-authority-data}, or the file {@code
 * certificate-authority}, relative to the kubeconfig), the user's bearer token ({@code token} or
 * {@code tokenFile}), and the context's namespace.
 *
 * @param namespace the context's namespace, or null
 */
public record ClusterAccess(URI server, String caPem, String token, String namespace) {

  /** {@code $KUBECONFIG} (its first file), else {@code ~/.keelson/kubeconfig}. */
  public static Path defaultKubeconfig(Map<String, String> environment) {
    String variable = environment.get("KUBECONFIG");
    if (variable != null && !variable.isBlank()) {
      return Path.of(variable.split(java.io.File.pathSeparator)[0]);
    }
    return Path.of(System.getProperty("user.home"), ".keelson", "kubeconfig");
  }

  /**
   * @throws IllegalArgumentException saying what the kubeconfig lacks
   */
  public static ClusterAccess read(Path kubeconfig) throws IOException {
    JsonNode config;
    try {
      config = Json.yaml().readTree(Files.readString(kubeconfig));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no kubeconfig at " + kubeconfig);
    }
    if (config == null || !config.isObject()) {
      throw new IllegalArgumentException(kubeconfig + " is not a kubeconfig");
    }
    String current = config.path("current-context").asText("");
    JsonNode context = named(config, "contexts", current, kubeconfig).path("context");
    JsonNode cluster =
        named(config, "clusters", context.path("cluster").asText(""), kubeconfig).path("cluster");
    JsonNode user =
        named(config, "users", context.path("user").asText(""), kubeconfig).path("user");
    String server = cluster.path("server").asText("");
    if (server.isEmpty()) {
      throw new IllegalArgumentException(kubeconfig + ": the cluster names no server");
    }
    String ca = null;
    if (cluster.hasNonNull("certificate-authority-data")) {
      ca =
          new String(
              Base64.getDecoder().decode(cluster.get("certificate-authority-data").asText()),
              StandardCharsets.US_ASCII);
    } else if (cluster.hasNonNull("certificate-authority")) {
      ca = Files.readString(relative(kubeconfig, cluster.get("certificate-authority").asText()));
    }
    String token = null;
    if (user.hasNonNull("token")) {
      token = user.get("token").asText();
    } else if (user.hasNonNull("tokenFile")) {
      token = Files.readString(relative(kubeconfig, user.get("tokenFile").asText())).trim();
    }
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException(kubeconfig + ": the user has no bearer token");
    }
    String namespace = context.path("namespace").asText("");
    return new ClusterAccess(URI.create(server), ca, token, namespace.isEmpty() ? null : namespace);
  }

  /** TLS that trusts the cluster's CA only, or the JVM's CAs when the kubeconfig names none. */
  public SSLContext tls() throws GeneralSecurityException, IOException {
    if (caPem == null) {
      return SSLContext.getDefault();
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    int i = 0;
    for (Certificate certificate :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
      trust.setCertificateEntry("ca-" + i++, certificate);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, factory.getTrustManagers(), null);
    return ssl;
  }

  private static JsonNode named(JsonNode config, String list, String name, Path kubeconfig) {
    for (JsonNode entry : config.path(list)) {
      if (entry.path("name").asText("").equals(name)) {
        return entry;
      }
    }
    throw new IllegalArgumentException(
        kubeconfig + ": no " + list.substring(0, list.length() - 1) + " \"" + name + "\"");
  }

  private static Path relative(Path kubeconfig, String file) {
    Path path = Path.of(file);
    Path dir = kubeconfig.toAbsolutePath().getParent();
    return path.isAbsolute() || dir == null ? path : dir.resolve(path);
  }
}
