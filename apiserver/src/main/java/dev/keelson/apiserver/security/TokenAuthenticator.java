package dev.keelson.apiserver.security;

import dev.keelson.api.change.Actor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer-token authentication from a static token file, in the format of kube-apiserver's {@code
 * --token-auth-file}: one line per token, {@code token,user,uid[,"group1,group2"]}. Made at first
 * start with one token for {@code admin} in {@code system:masters}. Tokens are held as SHA-256
 * digests and compared by digest, so a lookup takes the same time whatever it finds.
 */
public final class TokenAuthenticator {

  public static final String ADMIN = "admin";

  private final Map<String, Actor> actorsByDigest;
  private final String adminToken;

  private TokenAuthenticator(Map<String, Actor> actorsByDigest, String adminToken) {
    this.actorsByDigest = Map.copyOf(actorsByDigest);
    this.adminToken = adminToken;
  }

  /** Loads {@code file}, first writing it with a new admin token if it does not exist. */
  public static TokenAuthenticator ensure(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Files.createFile(file);
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system.
        }
        Files.writeString(
            file, token + "," + ADMIN + ",admin,\"system:masters\"\n", StandardCharsets.UTF_8);
      }
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + file, e);
    }
  }

  static TokenAuthenticator parse(List<String> lines, String source) {
    Map<String, Actor> actors = new HashMap<>();
    String admin = null;
    int number = 0;
    for (String line : lines) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = csv(line);
      if (fields.size() < 3 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
        throw new IllegalArgumentException(
            source + " line " + number + ": expected token,user,uid[,\"group1,group2\"]");
      }
      List<String> groups = new ArrayList<>();
      if (fields.size() > 3 && !fields.get(3).isEmpty()) {
        for (String group : fields.get(3).split(",")) {
          groups.add(group.trim());
        }
      }
      groups.add("system:authenticated");
      actors.put(digest(fields.get(0)), new Actor(fields.get(1), groups));
      if (admin == null && groups.contains("system:masters")) {
        admin = fields.get(0);
      }
    }
    return new TokenAuthenticator(actors, admin);
  }

  /** The actor of an {@code Authorization} header value, if it carries a known bearer token. */
  public Optional<Actor> authenticate(String authorization) {
    if (authorization == null || authorization.length() < 8) {
      return Optional.empty();
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = authorization.substring(7).trim();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(actorsByDigest.get(digest(token)));
  }

  /** A token of a {@code system:masters} user, for the kubeconfig {@code keelson up} writes. */
  public Optional<String> adminToken() {
    return Optional.ofNullable(adminToken);
  }

  private static String digest(String token) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Splits one CSV line, honouring double quotes. */
  private static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(current.toString().trim());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    fields.add(current.toString().trim());
    return fields;
  }
}
