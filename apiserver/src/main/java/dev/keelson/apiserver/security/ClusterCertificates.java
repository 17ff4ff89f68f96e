package dev.keelson.apiserver.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority and the API server's serving certificate, made at first start
 * in a directory of their own and reused after: {@code ca.crt}, {@code ca.key}, {@code
 * apiserver.crt}, {@code apiserver.key} (PEM; keys PKCS#8, readable by the owner only). A serving
 * certificate that lacks a requested name, or expires within 30 days, is made again from the same
 * CA, so kubeconfigs written before stay valid.
 */
public final class ClusterCertificates {

  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration SERVING_LIFETIME = Duration.ofDays(365);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path caCert;
  private final Path caKey;
  private final Path servingCert;
  private final Path servingKey;

  private ClusterCertificates(Path dir) {
    this.caCert = dir.resolve("ca.crt");
    this.caKey = dir.resolve("ca.key");
    this.servingCert = dir.resolve("apiserver.crt");
    this.servingKey = dir.resolve("apiserver.key");
  }

  /**
   * Loads or makes the CA and a serving certificate valid for {@code hosts} (names or IP addresses)
   * plus localhost, 127.0.0.1 and ::1.
   */
  public static ClusterCertificates ensure(Path dir, List<String> hosts) {
    ClusterCertificates certificates = new ClusterCertificates(dir);
    try {
      Files.createDirectories(dir);
      certificates.ensureCa();
      certificates.ensureServing(subjectNames(hosts));
      return certificates;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write certificates in " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make certificates: " + e.getMessage(), e);
    }
  }

  public Path caCertificatePath() {
    return caCert;
  }

  public Path servingCertificatePath() {
    return servingCert;
  }

  public Path servingKeyPath() {
    return servingKey;
  }

  public String caCertificatePem() {
    try {
      return Files.readString(caCert, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public X509Certificate caCertificate() {
    return readCertificate(caCert);
  }

  public X509Certificate servingCertificate() {
    return readCertificate(servingCert);
  }

  private void ensureCa() throws IOException, GeneralSecurityException, OperatorCreationException {
    if (Files.exists(caCert) && Files.exists(caKey)) {
      return;
    }
    KeyPair keys = newKeyPair();
    X500Name name = new X500Name("CN=keelson-ca");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(CA_LIFETIME)),
            name,
            keys.getPublic());
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
    X509Certificate certificate = sign(builder, keys.getPrivate());
    writeKey(caKey, keys.getPrivate());
    writePem(caCert, certificate);
  }

  private void ensureServing(Set<String> names)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    if (Files.exists(servingCert) && Files.exists(servingKey)) {
      X509Certificate existing = readCertificate(servingCert);
      boolean fresh = existing.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
      if (fresh && subjectAlternativeNames(existing).containsAll(names)) {
        return;
      }
    }
    X509Certificate ca = readCertificate(caCert);
    PrivateKey signingKey = readKey(caKey);
    KeyPair keys = newKeyPair();
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ca,
            serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(SERVING_LIFETIME)),
            new X500Name("CN=keelson-apiserver"),
            keys.getPublic());
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(
        Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
    List<GeneralName> alternatives = new ArrayList<>();
    for (String n : names) {
      alternatives.add(
          isAddress(n)
              ? new GeneralName(GeneralName.iPAddress, n)
              : new GeneralName(GeneralName.dNSName, n));
    }
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
    X509Certificate certificate = sign(builder, signingKey);
    writeKey(servingKey, keys.getPrivate());
    writePem(servingCert, certificate);
  }

  private static Set<String> subjectNames(List<String> hosts) {
    Set<String> names =
        new LinkedHashSet<>(
            List.of(
                "localhost",
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "127.0.0.1",
                "::1"));
    for (String host : hosts) {
      if (!host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
        names.add(host);
      }
    }
    return names;
  }

  private static Set<String> subjectAlternativeNames(X509Certificate certificate)
      throws GeneralSecurityException {
    Set<String> names = new LinkedHashSet<>();
    if (certificate.getSubjectAlternativeNames() != null) {
      for (List<?> entry : certificate.getSubjectAlternativeNames()) {
        String value = String.valueOf(entry.get(1));
        names.add(isAddress(value) ? normalizeAddress(value) : value);
      }
    }
    return names;
  }

  private static boolean isAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static String normalizeAddress(String address) {
    try {
      InetAddress parsed = InetAddress.getByName(address);
      return parsed.getHostAddress().equals("0:0:0:0:0:0:0:1") ? "::1" : parsed.getHostAddress();
    } catch (IOException e) {
      return address;
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static void writePem(Path file, Object value) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(value);
    }
    Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
  }

  private static void writeKey(Path file, PrivateKey key) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's permissions protect the key.
    }
    writePem(file, new JcaPKCS8Generator(key, null));
  }

  private static X509Certificate readCertificate(Path file) {
    try (PEMParser parser =
        new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      Object object = parser.readObject();
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new IllegalStateException(file + " does not hold a certificate");
      }
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(file + " does not hold a readable certificate", e);
    }
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (PEMParser parser =
        new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      Object object = parser.readObject();
      if (!(object instanceof PrivateKeyInfo info)) {
        throw new IllegalStateException(file + " does not hold a PKCS#8 private key");
      }
      return new JcaPEMKeyConverter().getPrivateKey(info);
    }
  }
}
