package dev.keelson.projection;

import java.nio.file.Path;

/**
 * How a projection keeps state beyond the fold.
 *
 * @param snapshotDir where snapshots are written and read; null for none
 * @param snapshotEvery write a snapshot after this many records since the last one
 * @param memoryRecords how many recent verdicts are kept in memory for watches and writers
 * @param watchBuffer how many events a watcher may fall behind before it is ended
 */
public record ProjectionOptions(
    Path snapshotDir, long snapshotEvery, int memoryRecords, int watchBuffer) {

  public static ProjectionOptions defaults() {
    return new ProjectionOptions(null, 250_000, 100_000, 10_000);
  }

  public ProjectionOptions withSnapshots(Path dir) {
    return new ProjectionOptions(dir, snapshotEvery, memoryRecords, watchBuffer);
  }

  public ProjectionOptions withSnapshotEvery(long records) {
    return new ProjectionOptions(snapshotDir, records, memoryRecords, watchBuffer);
  }

  public ProjectionOptions withMemoryRecords(int records) {
    return new ProjectionOptions(snapshotDir, snapshotEvery, records, watchBuffer);
  }
}
