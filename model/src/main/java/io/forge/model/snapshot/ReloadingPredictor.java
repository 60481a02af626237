package io.forge.model.snapshot;

import io.forge.model.history.NewRun;
import io.forge.model.history.RunRecorder;
import io.forge.model.history.Settlement;
import io.forge.model.predict.Predictor;
import io.forge.model.spool.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;

/**
 * A long-lived process's predictor over a Forge home's launch snapshot and spool (the dashboard
 * server, the agent inside an executor JVM): no database round trip per prediction, and the
 * snapshot is re-read whenever its file changes. Thread-safe.
 */
public final class ReloadingPredictor {

  private final Path home;
  private final Path file;
  private final Runnable whenMissing;
  private final Clock clock;
  private FileTime loadedAt;
  private LaunchSource source;
  private Predictor predictor;

  /**
   * A predictor over {@code home}.
   *
   * @param whenMissing run when there is no snapshot yet (e.g. build it from the database); if
   *     there is still none afterwards, predictions use an empty snapshot (priors, and history
   *     from the spool)
   * @param clock the time (the predictor's model cache ages by it)
   */
  public ReloadingPredictor(Path home, Runnable whenMissing, Clock clock) {
    this.home = home;
    this.file = PredictorSnapshot.file(home);
    this.whenMissing = whenMissing;
    this.clock = clock;
  }

  /** The predictor for the current snapshot. */
  public synchronized Predictor current() {
    FileTime modified = modified();
    if (modified == null) {
      whenMissing.run();
      modified = modified();
    }
    if (predictor == null || (modified != null && !modified.equals(loadedAt))) {
      source = LaunchSource.loadOrEmpty(home).longLived();
      predictor = new Predictor(source, clock);
      loadedAt = modified;
    }
    return predictor;
  }

  /**
   * A recorder into {@code spool} whose settlements the current predictor counts at once (see
   * {@link LaunchSource#remember}): how a long-lived process records the runs it plans.
   */
  public RunRecorder recorder(Spool spool) {
    return new RunRecorder() {
      @Override
      public void record(NewRun run) {
        spool.record(run);
      }

      @Override
      public void settle(NewRun run, Settlement settlement) {
        spool.settle(run, settlement);
        LaunchSource current;
        synchronized (ReloadingPredictor.this) {
          current = source;
        }
        if (current != null) {
          current.remember(run, settlement);
        }
      }
    };
  }

  private FileTime modified() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }
}
