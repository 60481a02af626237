package io.forge.model.history;

/**
 * Where a launch or the agent writes a run's row: before the job starts, settled after it ends,
 * whatever happens. Implemented by the {@link io.forge.model.spool.Spool} (no database on their
 * path) and by a long-lived predictor's recorder, which also remembers what it settled; the API
 * server and imports write to the database directly.
 */
public interface RunRecorder {

  /** Records a run before it starts (its outcome is {@code running} until settled). */
  void record(NewRun run);

  /** Settles a recorded run; settling it again is a no-op. */
  void settle(NewRun run, Settlement settlement);
}
