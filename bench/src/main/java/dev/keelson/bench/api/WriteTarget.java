package dev.keelson.bench.api;

import java.util.concurrent.CompletableFuture;

/**
 * A store the API write benchmark writes pods to: the Keelson API over HTTPS, or etcd with the
 * compare-and-set transactions the Kubernetes apiserver issues. Both answer with the version the
 * next update must name.
 */
interface WriteTarget extends AutoCloseable {

  /** The name of the target in the result table. */
  String name();

  /** Creates the pod {@code name} from {@code body}; accepted only if it did not exist. */
  CompletableFuture<Answer> create(String name, byte[] body);

  /** Replaces the pod {@code name} with {@code body}; accepted only if still at {@code version}. */
  CompletableFuture<Answer> update(String name, String version, byte[] body);

  /** The answer to one write: accepted with the object's new version, or not, with why. */
  record Answer(boolean accepted, String version, String detail) {

    static Answer accepted(String version) {
      return new Answer(true, version, null);
    }

    static Answer rejected(String detail) {
      return new Answer(false, null, detail);
    }
  }
}
