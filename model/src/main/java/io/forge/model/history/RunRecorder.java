package io.forge.model.history;

/**
 * Where a run's row goes: written before the job starts and settled after it ends, whatever
 * happens. The spool (launches and the agent: no database on their path) and the database (the
 * API server, imports) are the two kinds.
 */
public interface RunRecorder {

  /** Records a run before it starts (its outcome is {@code running} until settled). */
  void record(NewRun run);

  /** Settles a recorded run; settling it again is a no-op. */
  void settle(NewRun run, Settlement settlement);
}
