package dev.keelson.apiserver.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** The kubeconfig that {@code keelson up} writes: the CA, the server URL and the admin token. */
public final class Kubeconfig {

  private Kubeconfig() {}

  public static void write(Path file, String server, String caPem, String user, String token) {
    ObjectNode config = Json.object();
    config.put("apiVersion", "v1");
    config.put("kind", "Config");
    ObjectNode cluster = config.putArray("clusters").addObject();
    cluster.put("name", "keelson");
    cluster
        .putObject("cluster")
        .put("server", server)
        .put(
            "certificate-authority-data",
            Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)));
    ObjectNode named = config.putArray("users").addObject();
    named.put("name", user);
    named.putObject("user").put("token", token);
    ObjectNode context = config.putArray("contexts").addObject();
    context.put("name", "keelson");
    context
        .putObject("context")
        .put("cluster", "keelson")
        .put("user", user)
        .put("namespace", "default");
    config.put("current-context", "keelson");
    config.putObject("preferences");
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temp);
      Files.createFile(temp);
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system.
      }
      Files.writeString(temp, Json.yaml().writeValueAsString(config), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
    }
  }
}
