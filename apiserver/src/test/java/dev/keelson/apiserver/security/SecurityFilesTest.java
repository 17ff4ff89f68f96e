package dev.keelson.apiserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.api.change.Actor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityFilesTest {

  @Test
  void theServingCertificateIsSignedByTheCaAndNamesItsHosts(@TempDir Path dir) throws Exception {
    ClusterCertificates certificates =
        ClusterCertificates.ensure(dir, List.of("127.0.0.1", "keelson.test"));
    X509Certificate ca = certificates.caCertificate();
    X509Certificate serving = certificates.servingCertificate();
    serving.verify(ca.getPublicKey());
    ca.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(serving.getBasicConstraints()).isEqualTo(-1);
    assertThat(serving.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    assertThat(serving.getSubjectAlternativeNames())
        .extracting(entry -> String.valueOf(entry.get(1)))
        .contains("localhost", "keelson.test", "127.0.0.1", "kubernetes.default.svc");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(certificates.servingKeyPath())))
        .isEqualTo("rw-------");
    assertThat(Files.readString(certificates.servingKeyPath()))
        .startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void certificatesAreReusedAndReissuedOnlyForNewNames(@TempDir Path dir) throws Exception {
    ClusterCertificates first = ClusterCertificates.ensure(dir, List.of("127.0.0.1"));
    String caPem = first.caCertificatePem();
    X509Certificate serving = first.servingCertificate();

    ClusterCertificates again = ClusterCertificates.ensure(dir, List.of("127.0.0.1"));
    assertThat(again.caCertificatePem()).isEqualTo(caPem);
    assertThat(again.servingCertificate()).isEqualTo(serving);

    ClusterCertificates wider = ClusterCertificates.ensure(dir, List.of("127.0.0.1", "10.0.0.7"));
    assertThat(wider.caCertificatePem())
        .as("the CA stays, so kubeconfigs stay valid")
        .isEqualTo(caPem);
    assertThat(wider.servingCertificate()).isNotEqualTo(serving);
    wider.servingCertificate().verify(wider.caCertificate().getPublicKey());
  }

  @Test
  void tokensAuthenticateTheirUsersAndNothingElse(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens.csv");
    TokenAuthenticator tokens = TokenAuthenticator.ensure(file);
    String admin = tokens.adminToken().orElseThrow();
    assertThat(admin).hasSizeGreaterThanOrEqualTo(40);
    Actor actor = tokens.authenticate("Bearer " + admin).orElseThrow();
    assertThat(actor.user()).isEqualTo("admin");
    assertThat(actor.groups()).contains("system:masters", "system:authenticated");
    assertThat(tokens.authenticate("bearer " + admin)).isPresent();
    assertThat(tokens.authenticate("Bearer " + admin + "x")).isEmpty();
    assertThat(tokens.authenticate("Basic " + admin)).isEmpty();
    assertThat(tokens.authenticate("Bearer ")).isEmpty();
    assertThat(tokens.authenticate(null)).isEmpty();
    assertThat(TokenAuthenticator.ensure(file).adminToken()).contains(admin);

    Files.writeString(
        file,
        "t1,alice,1001,\"dev,ops\"\n# comment\n\nt2,bob,1002\n",
        java.nio.charset.StandardCharsets.UTF_8);
    TokenAuthenticator edited = TokenAuthenticator.ensure(file);
    assertThat(edited.authenticate("Bearer t1").orElseThrow().groups())
        .containsExactly("dev", "ops", "system:authenticated");
    assertThat(edited.authenticate("Bearer t2").orElseThrow().user()).isEqualTo("bob");
    assertThat(edited.authenticate("Bearer " + admin)).isEmpty();
    assertThat(edited.adminToken()).isEmpty();

    Files.writeString(file, "only-a-token\n");
    assertThatThrownBy(() -> TokenAuthenticator.ensure(file)).hasMessageContaining("line 1");
  }
}
