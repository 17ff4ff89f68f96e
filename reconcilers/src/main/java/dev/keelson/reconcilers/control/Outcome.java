package dev.keelson.reconcilers.control;

import java.time.Duration;

/** How a reconcile ended, which tells the work queue what to do with its key next. */
public sealed interface Outcome {

  Outcome DONE = new Done();

  /** The state is as wanted, or will be changed by events the reconciler watches. */
  record Done() implements Outcome {}

  /** Look again after {@code delay} (a deadline or a back-off the reconciler keeps itself). */
  record RequeueAfter(Duration delay) implements Outcome {}

  /**
   * The reconcile could not finish. A terminal failure is not retried (the key comes back with its
   * next change); any other is retried with the key's exponential back-off.
   */
  record Failed(Throwable cause, boolean terminal) implements Outcome {}

  static Outcome requeueAfter(Duration delay) {
    return new RequeueAfter(delay);
  }

  static Outcome failed(Throwable cause) {
    return new Failed(cause, false);
  }
}
