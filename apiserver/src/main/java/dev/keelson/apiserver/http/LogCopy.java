package dev.keelson.apiserver.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Copies a node agent's log answer to the caller, chunk by chunk, pausing the agent's answer while
 * the caller's write queue is full. A caller that goes (a closed connection, or a failed write)
 * stops the copy and closes the agent's connection, which ends the agent's read of the log. Written
 * by hand rather than with a Vert.x pipe, which writes on after its destination failed.
 */
final class LogCopy {

  private final HttpServerResponse out;
  private final HttpClientResponse answer;
  private boolean done;

  private LogCopy(HttpServerResponse out, HttpClientResponse answer) {
    this.out = out;
    this.answer = answer;
  }

  /** Starts the copy: the head goes at once, so a follow of a quiet log is answered. */
  static void start(HttpServerResponse out, HttpClientResponse answer) {
    LogCopy copy = new LogCopy(out, answer);
    if (out.closed()) {
      copy.stop();
      return;
    }
    out.setStatusCode(200).setChunked(true).putHeader("content-type", "text/plain");
    out.closeHandler(v -> copy.stop());
    out.exceptionHandler(e -> copy.stop());
    answer.handler(copy::write);
    answer.endHandler(v -> copy.finish());
    answer.exceptionHandler(e -> copy.finish());
    out.writeHead();
  }

  private void write(Buffer chunk) {
    if (done) {
      return;
    }
    out.write(chunk).onFailure(e -> stop());
    if (!done && out.writeQueueFull()) {
      answer.pause();
      out.drainHandler(v -> answer.resume());
    }
  }

  /** The agent's answer ended (or broke off): so does the caller's. */
  private void finish() {
    if (!done) {
      done = true;
      out.end();
    }
  }

  private void stop() {
    if (!done) {
      done = true;
      answer.handler(null);
      answer.request().connection().close();
    }
  }
}
