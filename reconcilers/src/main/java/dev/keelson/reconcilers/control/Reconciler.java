package dev.keelson.reconcilers.control;

import dev.keelson.api.ResourceKey;
import java.util.concurrent.CompletionStage;

/**
 * Makes the state of one object what its spec asks, level-triggered: it gets only the key, reads
 * the current state itself, and never asks whether it was a create or an update. The work queue
 * never runs two reconciles of the same key at once, and retries failed ones with back-off.
 *
 * <p>A reconcile must not block: it reads the projection (memory) and chains its writes, which
 * complete once the projection has applied them.
 */
@FunctionalInterface
public interface Reconciler {

  CompletionStage<Outcome> reconcile(ResourceKey key);
}
