package dev.keelson.nodeagent.agent;

import java.util.UUID;

/** What the agent says of itself in a Node's nodeInfo. */
final class AgentVersion {

  /** The Kubernetes API the agent speaks, and that it is Keelson's agent that speaks it. */
  static final String KUBELET_VERSION = "v1.32.0+keelson";

  /** Changes with every start of the agent's process, as a host's boot id does with a boot. */
  static final String BOOT_ID = UUID.randomUUID().toString();

  private AgentVersion() {}
}
