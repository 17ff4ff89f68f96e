package dev.keelson.api.change;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What must hold for a change to apply: the object is absent (a create), or its current
 * resourceVersion is the given one (an update or delete made against a version the writer saw).
 * Both fields absent means unconditional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Precondition(Boolean absent, String resourceVersion) {

  public static Precondition mustBeAbsent() {
    return new Precondition(true, null);
  }

  public static Precondition atVersion(String resourceVersion) {
    return new Precondition(null, resourceVersion);
  }

  public static Precondition none() {
    return new Precondition(null, null);
  }

  public boolean requiresAbsent() {
    return Boolean.TRUE.equals(absent);
  }
}
