package dev.keelson.nodeagent.server;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.Semaphore;

/**
 * Carries a container's log from the runtime's thread to an HTTP response, with backpressure: the
 * runtime hands over chunks on its own thread, and each chunk takes a credit that is given back
 * once the response has taken the chunk (at once, or when its write queue drains). With no credit
 * left the runtime's thread waits, so it reads no more of the engine's stream than the client
 * takes. When the client goes, the runtime's stream is closed.
 */
final class LogStream {

  /** Chunks in flight between the runtime's thread and the response. */
  private static final int CREDITS = 16;

  private final Context context;
  private final HttpServerResponse response;
  private final Semaphore credits = new Semaphore(CREDITS);
  private volatile boolean closed;
  private volatile AutoCloseable source;
  private long remaining;
  private int held;

  /** Writes to {@code response} on {@code context}, at most {@code limitBytes} (null: all). */
  LogStream(Context context, HttpServerResponse response, Long limitBytes) {
    this.context = context;
    this.response = response;
    this.remaining = limitBytes == null ? Long.MAX_VALUE : limitBytes;
    // A client that goes shows as a closed connection or as a failed write.
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
  }

  /** The runtime's stream, closed when the client goes or the limit is reached. */
  void from(AutoCloseable source) {
    this.source = source;
    if (closed) {
      closeSource();
    }
  }

  /** Called on the runtime's thread with each chunk of the log. */
  void accept(byte[] chunk) {
    try {
      credits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      return;
    }
    if (closed) {
      return;
    }
    context.runOnContext(v -> write(chunk));
  }

  /**
   * Called on the runtime's thread once the log ends, or fails: either way the response ends, as a
   * kubelet's copy of the log just stops.
   */
  void end(Throwable failure) {
    context.runOnContext(v -> finish());
  }

  private void write(byte[] chunk) {
    if (response.ended() || response.closed()) {
      close(); // the client went before a handler said so
    }
    if (closed || remaining <= 0) {
      credits.release();
      return;
    }
    int length = (int) Math.min(chunk.length, remaining);
    remaining -= length;
    response
        .write(Buffer.buffer(length == chunk.length ? chunk : slice(chunk, length)))
        .onFailure(e -> close());
    if (remaining <= 0) {
      finish();
    } else if (response.writeQueueFull()) {
      held++;
      response.drainHandler(
          v -> {
            credits.release(held);
            held = 0;
          });
    } else {
      credits.release();
    }
  }

  private void finish() {
    if (!closed) {
      close();
      if (!response.ended()) {
        response.end();
      }
    }
  }

  /** Stops the flow: the runtime's thread is let go and its stream closed. */
  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    credits.release(CREDITS);
    closeSource();
  }

  private void closeSource() {
    AutoCloseable stream = source;
    if (stream != null) {
      // Closing the engine's stream may block: off the event loop.
      context
          .owner()
          .executeBlocking(
              () -> {
                stream.close();
                return null;
              });
    }
  }

  private static byte[] slice(byte[] chunk, int length) {
    byte[] part = new byte[length];
    System.arraycopy(chunk, 0, part, 0, length);
    return part;
  }
}
