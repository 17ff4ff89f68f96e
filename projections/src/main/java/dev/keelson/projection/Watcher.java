package dev.keelson.projection;

import dev.keelson.api.GroupKind;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/** One live watch: a bounded buffer between the projection's reader thread and the watcher. */
final class Watcher {

  private final GroupKind kind;
  private final String namespace;
  private final long fromRevision;
  private final Sinks.Many<WatchEvent> sink;
  private long lastRevision;

  Watcher(GroupKind kind, String namespace, long fromRevision, int buffer) {
    this.kind = kind;
    this.namespace = namespace;
    this.fromRevision = fromRevision;
    this.lastRevision = fromRevision;
    this.sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<WatchEvent>get(buffer).get());
  }

  /** Offers an event; false when this watcher is gone or too far behind (it is then ended). */
  boolean offer(WatchEvent event) {
    if (event.revision() <= fromRevision
        || !LogProjection.matches(event.object(), kind, namespace)) {
      return true;
    }
    Sinks.EmitResult result = sink.tryEmitNext(event);
    if (result.isSuccess()) {
      lastRevision = event.revision();
      return true;
    }
    if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
      sink.tryEmitError(new WatchTooSlowException(lastRevision));
    }
    return false;
  }

  void complete() {
    sink.tryEmitComplete();
  }

  Flux<WatchEvent> events(Consumer<Watcher> onEnd) {
    return sink.asFlux().doFinally(signal -> onEnd.accept(this));
  }
}
