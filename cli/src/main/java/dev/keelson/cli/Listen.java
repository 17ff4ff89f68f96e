package dev.keelson.cli;

import picocli.CommandLine;

/** A {@code HOST:PORT} to listen on. */
record Listen(String host, int port) {

  static Listen parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new CommandLine.TypeConversionException("expected HOST:PORT, got '" + text + "'");
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new Listen(text.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("bad port in '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }

  static final class Converter implements CommandLine.ITypeConverter<Listen> {
    @Override
    public Listen convert(String value) {
      return parse(value);
    }
  }
}
