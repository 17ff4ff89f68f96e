package dev.keelson.api.change;

import java.util.List;

/** Who asked for a change: an authenticated user or one of Keelson's own components. */
public record Actor(String user, List<String> groups) {

  public Actor {
    groups = groups == null ? List.of() : List.copyOf(groups);
  }

  public static Actor system(String component) {
    return new Actor("system:keelson:" + component, List.of("system:masters"));
  }
}
