package dev.keelson.cli;

import java.net.BindException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** One line that says what went wrong, from whatever a start-up failure threw. */
final class CliErrors {

  private CliErrors() {}

  static String describe(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return "cannot listen: " + t.getMessage();
      }
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
