package dev.keelson.nodeagent.runtime;

/**
 * What a command run in a container answered.
 *
 * @param exitCode the command's exit code, or null when it did not finish within its timeout
 * @param output its standard output and error, interleaved, cut to a few KiB
 */
public record ExecResult(Integer exitCode, String output) {

  public boolean timedOut() {
    return exitCode == null;
  }
}
