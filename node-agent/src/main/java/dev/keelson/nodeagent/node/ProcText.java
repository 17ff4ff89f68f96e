package dev.keelson.nodeagent.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** Reading the small text files of /proc and /etc that describe the host. */
final class ProcText {

  private ProcText() {}

  /**
   * The file's text, or empty when it cannot be read (another OS, a sandbox without /proc). Read as
   * a stream to its end: Files.readString trusts the size, and /proc files report none.
   */
  static Optional<String> read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** A field of /proc/meminfo ("MemTotal: 16314412 kB") in bytes, or empty when absent. */
  static OptionalLong meminfoBytes(String meminfo, String field) {
    for (String line : meminfo.split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length >= 2 && parts[0].equals(field + ":")) {
        try {
          long value = Long.parseLong(parts[1]);
          boolean kib = parts.length >= 3 && parts[2].equalsIgnoreCase("kB");
          return OptionalLong.of(kib ? value * 1024 : value);
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  /** A single number such as /proc/sys/kernel/pid_max holds, or empty. */
  static OptionalLong number(String text) {
    try {
      return OptionalLong.of(Long.parseLong(text.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
