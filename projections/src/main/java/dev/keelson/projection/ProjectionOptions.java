package dev.keelson.projection;

import java.nio.file.Path;

/**
 * How a projection keeps state beyond the fold.
 *
 * @param snapshotDir where snapshots are written and read; null for none
 * @param snapshotEvery write a snapshot after this many records since the last one
 * @param memoryRecords how many recent verdicts are kept in memory for watches and writers
 * @param watchBuffer how many events a watcher may fall behind before it is ended
 * @param lastWriterWins fold every change without its precondition (see {@link #lastWriterWins()}):
 *     for compacted topics, where the record a verdict depended on may be gone
 * @param history keep the history index (see {@link Projection#history}): which records concern
 *     which object; never for a last-writer-wins topic, whose compaction drops indexed records
 */
public record ProjectionOptions(
    Path snapshotDir,
    long snapshotEvery,
    int memoryRecords,
    int watchBuffer,
    boolean lastWriterWins,
    boolean history) {

  public ProjectionOptions {
    history = history && !lastWriterWins;
  }

  public static ProjectionOptions defaults() {
    return new ProjectionOptions(null, 250_000, 100_000, 10_000, false, true);
  }

  /**
   * The same options for a compacted topic of last-writer-wins records (node heartbeats): a create
   * or update puts the object whatever was there, a delete removes what is there. Writers still
   * check their preconditions against the state they see before appending; the fold does not,
   * because compaction may have removed the record that a precondition named.
   */
  public ProjectionOptions withLastWriterWins() {
    return new ProjectionOptions(
        snapshotDir, snapshotEvery, memoryRecords, watchBuffer, true, false);
  }

  /** The same options without the history index: for a process that serves no history. */
  public ProjectionOptions withoutHistory() {
    return new ProjectionOptions(
        snapshotDir, snapshotEvery, memoryRecords, watchBuffer, lastWriterWins, false);
  }

  public ProjectionOptions withSnapshots(Path dir) {
    return new ProjectionOptions(
        dir, snapshotEvery, memoryRecords, watchBuffer, lastWriterWins, history);
  }

  public ProjectionOptions withSnapshotEvery(long records) {
    return new ProjectionOptions(
        snapshotDir, records, memoryRecords, watchBuffer, lastWriterWins, history);
  }

  public ProjectionOptions withMemoryRecords(int records) {
    return new ProjectionOptions(
        snapshotDir, snapshotEvery, records, watchBuffer, lastWriterWins, history);
  }
}
