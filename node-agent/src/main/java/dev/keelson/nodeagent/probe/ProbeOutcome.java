package dev.keelson.nodeagent.probe;

/**
 * What one run of a probe answered.
 *
 * @param message the command's output, the failure ("HTTP probe failed with statuscode: 500"), or
 *     "" when there is nothing to say
 */
public record ProbeOutcome(boolean success, String message) {

  static ProbeOutcome success(String message) {
    return new ProbeOutcome(true, message);
  }

  static ProbeOutcome failure(String message) {
    return new ProbeOutcome(false, message);
  }
}
