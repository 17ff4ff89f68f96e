package dev.keelson.proxy;

import java.time.Duration;
import java.util.List;

/**
 * Where connections to one Service port go: its ready endpoints, in a stable order, and how long a
 * client sticks to the endpoint it was given ({@link Duration#ZERO} without ClientIP affinity).
 */
public record Route(ServicePortName service, List<Backend> backends, Duration affinity) {

  public Route {
    backends = List.copyOf(backends);
  }
}
