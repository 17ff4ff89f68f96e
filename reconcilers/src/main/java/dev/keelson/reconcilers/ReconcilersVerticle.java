package dev.keelson.reconcilers;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Runs a {@link ReconcilerGroup} as a verticle of {@code keelson up}, or of {@code keelson
 * controllers} and {@code keelson scheduler}: started with the verticle, stopped with it. The
 * group's reconciles run on its own threads, never on the event loop.
 */
public final class ReconcilersVerticle extends VerticleBase {

  private final ReconcilerGroup group;

  public ReconcilersVerticle(ReconcilerGroup group) {
    this.group = group;
  }

  public ReconcilerGroup group() {
    return group;
  }

  @Override
  public Future<?> start() {
    group.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(
        () -> {
          group.close();
          return null;
        });
  }
}
