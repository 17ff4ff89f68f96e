package dev.keelson.apiserver.http;

import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.projection.Projection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.WatchEvent;
import dev.keelson.projection.WatchTooSlowException;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BaseSubscriber;

/**
 * One watch, streamed to one client: first the initial events when asked for, then every change of
 * the selected objects after the start revision, as upstream's watch events ({@code {"type":
 * "ADDED", "object": ...}}), one per line of a chunked response or one per WebSocket text message.
 * An object that leaves the selection is DELETED for this watcher, one that enters it is ADDED.
 * Bookmarks carry the revision of the last event sent. The stream ends after its timeout, when the
 * client goes, or when the client reads too slowly (it then watches again from the last revision it
 * saw).
 *
 * <p>Flow control: events are requested from the projection one by one as the connection takes
 * them, so a slow client fills its bounded buffer in the projection, not this server's memory.
 */
final class WatchStream extends BaseSubscriber<WatchEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);
  private static final int PREFETCH = 64;

  /** Where the events go: a chunked HTTP response or a WebSocket. */
  interface Sink {
    void send(Buffer line);

    boolean full();

    void onDrain(Handler<Void> handler);

    void onClose(Handler<Void> handler);

    void end();

    static Sink of(HttpServerResponse response) {
      return new Sink() {
        @Override
        public void send(Buffer line) {
          response.write(line);
        }

        @Override
        public boolean full() {
          return response.writeQueueFull();
        }

        @Override
        public void onDrain(Handler<Void> handler) {
          response.drainHandler(handler);
        }

        @Override
        public void onClose(Handler<Void> handler) {
          response.closeHandler(handler);
        }

        @Override
        public void end() {
          if (!response.ended()) {
            response.end();
          }
        }
      };
    }

    static Sink of(ServerWebSocket socket) {
      return new Sink() {
        @Override
        public void send(Buffer line) {
          socket.writeTextMessage(line.toString(StandardCharsets.UTF_8));
        }

        @Override
        public boolean full() {
          return socket.writeQueueFull();
        }

        @Override
        public void onDrain(Handler<Void> handler) {
          socket.drainHandler(handler);
        }

        @Override
        public void onClose(Handler<Void> handler) {
          socket.closeHandler(handler);
        }

        @Override
        public void end() {
          if (!socket.isClosed()) {
            socket.close();
          }
        }
      };
    }
  }

  private final Context context;
  private final Sink sink;
  private final ResourceType type;
  private final ResourceReads.Selection selection;
  private final boolean newline;
  private final Function<StoredObject, byte[]> render;
  private long lastRevision;
  private int outstanding;
  private long timeoutTimer = -1;
  private long bookmarkTimer = -1;
  private boolean ended;

  WatchStream(
      Context context,
      Sink sink,
      ResourceType type,
      ResourceReads.Selection selection,
      long fromRevision,
      boolean newline,
      Function<StoredObject, byte[]> render) {
    this.render = render;
    this.context = context;
    this.sink = sink;
    this.type = type;
    this.selection = selection;
    this.lastRevision = fromRevision;
    this.newline = newline;
  }

  /**
   * Starts streaming. Runs on the connection's context.
   *
   * @param initial objects to send as ADDED first (the state at {@code fromRevision})
   * @param initialEventsEnd whether to mark the end of the initial events with a bookmark
   */
  void start(
      Projection projection,
      List<StoredObject> initial,
      boolean initialEventsEnd,
      long timeoutMillis,
      long bookmarkMillis) {
    sink.onClose(v -> stop());
    for (StoredObject object : initial) {
      sink.send(event("ADDED", render.apply(object)));
    }
    if (initialEventsEnd) {
      sink.send(bookmark(true));
    }
    timeoutTimer = context.owner().setTimer(timeoutMillis, id -> stop());
    if (bookmarkMillis > 0) {
      bookmarkTimer = context.owner().setPeriodic(bookmarkMillis, id -> sink.send(bookmark(false)));
    }
    projection
        .watch(
            type.groupKind(),
            type.namespaced() ? selection.query().namespace() : null,
            lastRevision)
        .subscribe(this);
  }

  @Override
  protected void hookOnSubscribe(Subscription subscription) {
    context.runOnContext(
        v -> {
          outstanding = PREFETCH;
          subscription.request(PREFETCH);
        });
  }

  @Override
  protected void hookOnNext(WatchEvent event) {
    context.runOnContext(v -> deliver(event));
  }

  @Override
  protected void hookOnError(Throwable error) {
    if (!(error instanceof WatchTooSlowException)) {
      LOG.warn("watch of {} ended: {}", type.plural(), error.toString());
    }
    context.runOnContext(v -> stop());
  }

  @Override
  protected void hookOnComplete() {
    context.runOnContext(v -> stop());
  }

  private void deliver(WatchEvent event) {
    if (ended) {
      return;
    }
    String kind = kindFor(event);
    if (kind != null) {
      StoredObject object = event.object();
      sink.send(event(kind, render.apply(object)));
    }
    lastRevision = event.revision();
    outstanding--;
    if (outstanding <= PREFETCH / 2) {
      if (sink.full()) {
        sink.onDrain(v -> refill());
      } else {
        refill();
      }
    }
  }

  private void refill() {
    if (!ended && outstanding <= PREFETCH / 2) {
      request(PREFETCH - outstanding);
      outstanding = PREFETCH;
    }
  }

  /** The event type this watcher sees, given its selection, or null for none. */
  private String kindFor(WatchEvent event) {
    boolean now = event.type() != WatchEvent.Type.DELETED && selection.matches(event.object());
    boolean before =
        event.type() == WatchEvent.Type.DELETED
            ? selection.matches(event.object())
            : event.previous() != null && selection.matches(event.previous());
    if (now && before) {
      return "MODIFIED";
    }
    if (now) {
      return "ADDED";
    }
    if (before) {
      return "DELETED";
    }
    return null;
  }

  private Buffer event(String kind, byte[] object) {
    Buffer line = Buffer.buffer(object.length + 32);
    line.appendString("{\"type\":\"").appendString(kind).appendString("\",\"object\":");
    line.appendBytes(object).appendString("}");
    if (newline) {
      line.appendByte((byte) '\n');
    }
    return line;
  }

  private Buffer bookmark(boolean initialEventsEnd) {
    String annotations =
        initialEventsEnd ? ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}" : "";
    Buffer line =
        Buffer.buffer(
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\""
                + type.kind()
                + "\",\"apiVersion\":\""
                + type.apiVersion()
                + "\",\"metadata\":{\"resourceVersion\":\""
                + lastRevision
                + "\""
                + annotations
                + "}}}");
    if (newline) {
      line.appendByte((byte) '\n');
    }
    return line;
  }

  private void stop() {
    if (ended) {
      return;
    }
    ended = true;
    context.owner().cancelTimer(timeoutTimer);
    if (bookmarkTimer >= 0) {
      context.owner().cancelTimer(bookmarkTimer);
    }
    dispose();
    sink.end();
  }
}
