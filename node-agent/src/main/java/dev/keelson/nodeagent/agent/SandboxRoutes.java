package dev.keelson.nodeagent.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.nodeagent.runtime.RuntimeContainer;
import dev.keelson.nodeagent.runtime.ServiceRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one pod's sandbox routing the Services' cluster IPs to the node's proxy: set before the
 * pod's first container starts, and again whenever the routes change or the sandbox is new. A pod
 * whose sandbox cannot be routed still runs, without Services, as it would on a node whose proxy is
 * down: the agent says why in a Warning event and tries again after {@link #RETRY}. Used by one pod
 * worker, whose syncs never overlap.
 */
final class SandboxRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxRoutes.class);

  static final Duration RETRY = Duration.ofSeconds(30);

  private String sandboxId;
  private List<ServiceRoute> routed;
  private String failedSandbox;
  private Instant retryAt = Instant.MIN;

  /** Routes {@code sandbox} as the Services are now, unless it is so already. */
  void ensure(PodContext context, JsonNode pod, RuntimeContainer sandbox) {
    List<ServiceRoute> routes = context.services().get().routes();
    if (sandbox.id().equals(sandboxId) && routes.equals(routed)) {
      return;
    }
    Instant now = context.clock().instant();
    if (sandbox.id().equals(failedSandbox) && now.isBefore(retryAt)) {
      return;
    }
    try {
      context.runtime().routeServices(sandbox.id(), routes);
      sandboxId = sandbox.id();
      routed = routes;
      failedSandbox = null;
    } catch (RuntimeException e) {
      if (!sandbox.id().equals(failedSandbox)) {
        String message =
            "Services' cluster IPs cannot be routed in the pod's network: " + e.getMessage();
        LOG.warn(
            "pod {}/{}: {}",
            pod.path("metadata").path("namespace").asText(),
            pod.path("metadata").path("name").asText(),
            message);
        context.api().event(pod, "Warning", "FailedServiceRoutes", message);
      }
      failedSandbox = sandbox.id();
      retryAt = now.plus(RETRY);
    }
  }
}
