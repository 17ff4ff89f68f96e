package dev.keelson.cli.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.apiserver.security.Kubeconfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig keelson history reads: the one keelson up writes, and kubectl's other forms. */
class ClusterAccessTest {

  @TempDir Path dir;

  @Test
  void theKubeconfigKeelsonUpWrites() throws Exception {
    Path file = dir.resolve("kubeconfig");
    Kubeconfig.write(file, "https://127.0.0.1:6443", "PEM", "admin", "secret-token");
    ClusterAccess access = ClusterAccess.read(file);
    assertThat(access.server()).isEqualTo(URI.create("https://127.0.0.1:6443"));
    assertThat(access.caPem()).isEqualTo("PEM");
    assertThat(access.token()).isEqualTo("secret-token");
    assertThat(access.namespace()).isEqualTo("default");
  }

  @Test
  void filesNamedBesideTheKubeconfigAndTheCurrentContextOnly() throws Exception {
    Files.writeString(dir.resolve("ca.crt"), "CA");
    Files.writeString(dir.resolve("token"), "from-file\n");
    Path file = dir.resolve("config");
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "current-context: b",
            "contexts:",
            "- {name: a, context: {cluster: one, user: u}}",
            "- {name: b, context: {cluster: two, user: u, namespace: team}}",
            "clusters:",
            "- {name: one, cluster: {server: 'https://127.0.0.1:1'}}",
            "- {name: two, cluster: {server: 'https://127.0.0.2:2', certificate-authority: ca.crt}}",
            "users:",
            "- {name: u, user: {tokenFile: token}}"));
    ClusterAccess access = ClusterAccess.read(file);
    assertThat(access.server()).isEqualTo(URI.create("https://127.0.0.2:2"));
    assertThat(access.caPem()).isEqualTo("CA");
    assertThat(access.token()).isEqualTo("from-file");
    assertThat(access.namespace()).isEqualTo("team");
  }

  @Test
  void whatIsMissingIsSaid() throws Exception {
    assertThatThrownBy(() -> ClusterAccess.read(dir.resolve("none")))
        .hasMessage("no kubeconfig at " + dir.resolve("none"));
    Path file = dir.resolve("config");
    Files.writeString(
        file,
        "current-context: x\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n"
            + "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n"
            + "users: [{name: u, user: {}}]\n");
    assertThatThrownBy(() -> ClusterAccess.read(file))
        .hasMessageEndingWith("the user has no bearer token");
    assertThat(ClusterAccess.defaultKubeconfig(Map.of("KUBECONFIG", "/a/b:/c/d")))
        .isEqualTo(Path.of("/a/b"));
    assertThat(ClusterAccess.defaultKubeconfig(Map.of()).toString())
        .endsWith(".keelson/kubeconfig");
  }
}
