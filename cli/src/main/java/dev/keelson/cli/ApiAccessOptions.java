package dev.keelson.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a component on a host reaches the Keelson API: its URL, a bearer token and the CA. */
final class ApiAccessOptions {

  @Option(
      names = "--server",
      required = true,
      paramLabel = "URL",
      description = "The Keelson API, e.g. https://10.0.0.1:6443.")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "The bearer token (default: the KEELSON_TOKEN environment variable).",
      defaultValue = "${env:KEELSON_TOKEN}")
  String token;

  @Option(
      names = "--certificate-authority",
      paramLabel = "FILE",
      description = "The PEM of the CA that signed the API's certificate (e.g. DATA/pki/ca.crt).")
  Path certificateAuthority;

  @Option(
      names = "--insecure-skip-tls-verify",
      description = "Trust whatever certificate the API presents.")
  boolean insecure;

  String server() {
    return server;
  }

  /** The token, or a one-line refusal when there is none. */
  String token() {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no token: give --token or set KEELSON_TOKEN");
    }
    return token.trim();
  }

  /** The CA's PEM, or null to trust any certificate when --insecure-skip-tls-verify says so. */
  String caPem() throws IOException {
    if (certificateAuthority == null && !insecure) {
      throw new IllegalArgumentException(
          "give --certificate-authority FILE, or --insecure-skip-tls-verify to trust any");
    }
    return certificateAuthority == null ? null : Files.readString(certificateAuthority);
  }
}
