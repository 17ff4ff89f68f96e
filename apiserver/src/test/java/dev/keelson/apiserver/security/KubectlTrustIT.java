package dev.keelson.apiserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl trusts the CA and serving certificate Keelson makes and sends the token of the kubeconfig
 * Keelson writes: checked against a bare HTTPS endpoint that authenticates as the API server will.
 */
class KubectlTrustIT {

  @Test
  void kubectlReachesAnEndpointServedWithKeelsonsCertificatesAndToken(@TempDir Path dir)
      throws Exception {
    assumeTrue(
        kubectlPresent() || !"true".equals(System.getenv("CI")), "kubectl is required in CI");
    assumeTrue(kubectlPresent(), "kubectl not installed");
    ClusterCertificates certificates =
        ClusterCertificates.ensure(dir.resolve("pki"), List.of("127.0.0.1"));
    TokenAuthenticator tokens = TokenAuthenticator.ensure(dir.resolve("tokens.csv"));
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server =
          vertx
              .createHttpServer(
                  new HttpServerOptions()
                      .setSsl(true)
                      .setKeyCertOptions(
                          new PemKeyCertOptions()
                              .setCertPath(certificates.servingCertificatePath().toString())
                              .setKeyPath(certificates.servingKeyPath().toString())))
              .requestHandler(
                  request -> {
                    if (tokens.authenticate(request.getHeader("Authorization")).isEmpty()) {
                      request
                          .response()
                          .setStatusCode(401)
                          .putHeader("content-type", "application/json")
                          .end(
                              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                                  + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
                    } else {
                      request
                          .response()
                          .putHeader("content-type", "application/json")
                          .end(
                              "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-keelson\"}");
                    }
                  })
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      String url = "https://127.0.0.1:" + server.actualPort();
      Path kubeconfig = dir.resolve("kubeconfig");
      Kubeconfig.write(
          kubeconfig,
          url,
          certificates.caCertificatePem(),
          "admin",
          tokens.adminToken().orElseThrow());

      Result ok = kubectl(kubeconfig, "get", "--raw", "/version");
      assertThat(ok.exit()).as(ok.output()).isZero();
      assertThat(ok.output()).contains("v1.32.0-keelson");

      Path wrongToken = dir.resolve("kubeconfig-wrong");
      Kubeconfig.write(wrongToken, url, certificates.caCertificatePem(), "admin", "not-a-token");
      Result refused = kubectl(wrongToken, "get", "--raw", "/version");
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.output()).contains("Unauthorized");

      Path otherCa = dir.resolve("kubeconfig-other-ca");
      String foreignCa =
          ClusterCertificates.ensure(dir.resolve("other-pki"), List.of()).caCertificatePem();
      Kubeconfig.write(otherCa, url, foreignCa, "admin", tokens.adminToken().orElseThrow());
      Result untrusted = kubectl(otherCa, "get", "--raw", "/version");
      assertThat(untrusted.exit()).isNotZero();
      assertThat(untrusted.output()).containsIgnoringCase("certificate");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private record Result(int exit, String output) {}

  private static boolean kubectlPresent() {
    try {
      return new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static Result kubectl(Path kubeconfig, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout", "20s"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("kubectl", ".out");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    return new Result(process.exitValue(), output);
  }
}
