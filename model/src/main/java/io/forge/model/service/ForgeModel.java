package io.forge.model.service;

import io.forge.model.db.HistoryStore;
import io.forge.model.db.ModelRepository;
import io.forge.model.db.Patience;
import io.forge.model.db.RunQueries;
import io.forge.model.db.SpoolIngestion;
import io.forge.model.db.StoreLocation;
import io.forge.model.predict.ModelInfo;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import io.forge.model.predict.TrainedModel;
import io.forge.model.snapshot.PredictorSnapshot;
import io.forge.model.spool.Spool;
import io.forge.model.stats.StatsReport;
import io.forge.model.train.RetrainPolicy;
import io.forge.model.train.Trainer;
import io.forge.model.train.TrainingRow;
import io.forge.model.train.TrainingSets;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The model module's public face: the history store, the predictor over it, training, the
 * retrain policy and accuracy figures, all over one database.
 */
public final class ForgeModel {

  /** The lock file a launch's ingestion takes (try-lock) in the Forge home. */
  public static final String INGEST_LOCK = "ingest.lock";

  private final HistoryStore history;
  private final ModelRepository models;
  private final Predictor predictor;
  private final Trainer trainer;
  private final Clock clock;
  private volatile PeakCalibration calibration;

  /** Assembles the model over an open store. */
  public ForgeModel(HistoryStore history, Trainer trainer, Clock clock) {
    this.history = history;
    this.models = new ModelRepository(history.database());
    this.trainer = trainer;
    this.clock = clock;
    this.predictor =
        new Predictor(
            new Predictor.Source() {
              @Override
              public Predictor.Earlier earlierRuns(String analysisId) {
                return history.evidence().priorRuns(analysisId,
                    io.forge.model.predict.ColdStart.HISTORY_WINDOW);
              }

              @Override
              public Optional<TrainedModel> latestModel() {
                return models.latest();
              }

              @Override
              public PeakCalibration calibration() {
                return ForgeModel.this.calibration();
              }
            },
            clock);
  }

  /**
   * Opens the store at a location with the default trainer and the given clock. Opening reads
   * nothing and moves nothing: commands that read the history call {@link #ingest} first.
   */
  public static ForgeModel open(StoreLocation location, Clock clock) {
    return open(location, clock, Patience.COMMAND);
  }

  /** Opens the store, each database operation waiting at most {@code patience}. */
  public static ForgeModel open(StoreLocation location, Clock clock,
      Patience patience) {
    return new ForgeModel(HistoryStore.open(location, patience),
        new Trainer(Trainer.Settings.defaults(), clock), clock);
  }

  /** The spool of launched runs not yet in the database. */
  public Spool spool() {
    return new Spool(history.database().location().home());
  }

  /**
   * The explicit step before reading: moves the launchers' spooled runs into the database,
   * marks the runs whose recorder died as abandoned, and rewrites the launch snapshot when the
   * database gained runs, the snapshot is missing, or it holds another model than the newest.
   */
  public SpoolIngestion.Result ingest() {
    SpoolIngestion.Result ingestion = history.ingest(spool(), clock.instant());
    Path file = PredictorSnapshot.file(history.database().location().home());
    boolean stale = ingestion.ingested() > 0;
    if (!stale) {
      // Only the snapshot's header: every stats or history call (and each dashboard load)
      // passes here, and the full file holds the model and every analysis.
      Optional<Optional<Integer>> current = PredictorSnapshot.modelVersion(file);
      Optional<Integer> latest = models.latestInfo().map(ModelInfo::version);
      stale = current.isEmpty() || !latest.equals(current.get());
    }
    if (stale) {
      refreshSnapshot();
    }
    return ingestion;
  }

  /**
   * {@link #ingest}, unless another process is ingesting this home right now: then nothing
   * (empty), at once. What a launch does when the spool has grown: in a burst of launches one
   * ingests and the others go on, instead of each queueing for the database in turn.
   */
  public Optional<SpoolIngestion.Result> ingestUnlessBusy() throws IOException {
    Path home = history.database().location().home();
    Files.createDirectories(home);
    try (FileChannel channel = FileChannel.open(
        home.resolve(INGEST_LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // another thread of this process holds it
      }
      if (lock == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(ingest());
      } finally {
        lock.release();
      }
    }
  }

  /** Rewrites the launch snapshot from the database. */
  public void refreshSnapshot() {
    PredictorSnapshot snapshot = PredictorSnapshot.build(history, models,
        io.forge.model.predict.ColdStart.HISTORY_WINDOW);
    snapshot.write(PredictorSnapshot.file(history.database().location().home()));
    calibration = snapshot.calibration();
  }

  /**
   * The peak calibration of the history as of the last snapshot (built from the database the
   * first time it is asked for when this process has written none).
   */
  public PeakCalibration calibration() {
    PeakCalibration c = calibration;
    if (c == null) {
      c = history.evidence().replay(1).calibration();
      calibration = c;
    }
    return c;
  }

  /** The run history. */
  public HistoryStore history() {
    return history;
  }

  /** The stored models. */
  public ModelRepository models() {
    return models;
  }

  /** The predictor (the spec's {@code predict}). */
  public Predictor predictor() {
    return predictor;
  }

  /**
   * Trains a model on every measured run in the database and stores it as the next version
   * (call {@link #ingest} first to include the spooled runs).
   *
   * @throws IllegalArgumentException with fewer than {@link Trainer#MIN_ROWS} measured runs
   */
  public TrainedModel train(Trainer.Progress progress) {
    List<TrainingRow> rows = TrainingSets.fromRuns(history.queries().measuredRuns());
    TrainedModel saved = models.save(trainer.train(rows, progress));
    predictor.refresh();
    refreshSnapshot();
    return saved;
  }

  /**
   * Result of {@link #retrainIfReady}.
   *
   * @param decision what the policy decided and why
   * @param model the new model when one was trained
   */
  public record RetrainResult(RetrainPolicy.Decision decision, Optional<TrainedModel> model) {}

  /** Trains only when {@link RetrainPolicy} says so; otherwise says why not. */
  public RetrainResult retrainIfReady(Trainer.Progress progress) {
    RetrainPolicy.Decision decision = retrainDecision();
    if (!decision.train()) {
      return new RetrainResult(decision, Optional.empty());
    }
    return new RetrainResult(decision, Optional.of(train(progress)));
  }

  /** What the retrain policy would decide now. */
  public RetrainPolicy.Decision retrainDecision() {
    Optional<ModelInfo> info = models.latestInfo();
    boolean layoutMatches =
        info.map(i -> i.layoutVersion() == io.forge.model.features.FeatureLayout.VERSION
                && i.featureLayout().equals(io.forge.model.features.FeatureLayout.describe()))
            .orElse(false);
    int newAnalyses = info.isEmpty() ? 0
        : history.queries().analysesFirstSettledAfter(info.get().trainedAt());
    return RetrainPolicy.decide(history.queries().measuredCount(), newAnalyses, info,
        layoutMatches, clock.instant());
  }

  /**
   * Accuracy over the last {@code lastN} settled runs in the database that had a prediction.
   * All of them are returned (the dashboard draws them); the figures are computed per basis over
   * those that ran to completion (a run stopped by a cap or timeout only bounds its true
   * usage), the headline over the ones the trained model predicted.
   * Reads only: call {@link #ingest} first to include the spooled runs.
   */
  public StatsReport stats(int lastN) {
    RunQueries q = history.queries();
    return StatsReport.of(lastN, q.lastSettled(lastN), q.measuredCount(), q.outcomeCounts(),
        models.latestInfo(), retrainDecision());
  }
}
