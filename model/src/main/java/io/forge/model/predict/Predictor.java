package io.forge.model.predict;

import io.forge.model.Job;
import io.forge.model.ScriptText;
import io.forge.model.features.FeatureExtractor;
import io.forge.model.features.Features;
import io.forge.model.features.PriorRuns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The spec's {@code predict(script_text, runtime_name, input_sizes_mb)}: features from the
 * script, runtime and inputs (and the analysis's earlier runs when its id is given), then the
 * trained model if there is one for the current feature layout, else the analysis's own history,
 * else a conservative prior. Thread-safe.
 */
public final class Predictor {

  /** What the predictor needs from the history: earlier runs and the current model. */
  public interface Source {
    /** The analysis's earlier measured runs ({@code recent}: the last few, oldest first). */
    Earlier earlierRuns(String analysisId);

    /** The newest trained model, if any. */
    Optional<TrainedModel> latestModel();

    /** How far runs have landed above their analysis's (or tool's) largest peak so far. */
    PeakCalibration calibration();
  }

  /**
   * Earlier runs of one analysis.
   *
   * @param recentOldestFirst the most recent measured ones, oldest first
   * @param summary the prior-run features over all measured ones
   * @param killedAtMb the largest memory cap a run was killed at since the last measured run
   *     (its peak was at least that), 0 when none was
   */
  public record Earlier(List<io.forge.model.Usage> recentOldestFirst, PriorRuns summary,
      double killedAtMb) {

    /** Earlier runs with no kill since the last measured one. */
    public Earlier(List<io.forge.model.Usage> recentOldestFirst, PriorRuns summary) {
      this(recentOldestFirst, summary, 0);
    }

    /** No earlier runs. */
    public static Earlier none() {
      return new Earlier(List.of(), PriorRuns.none());
    }

    /** The largest peak the analysis is known to reach: measured, or at least a kill's cap. */
    public double largestPeakMb() {
      return Math.max(summary.max().peakRssMb(), killedAtMb);
    }

    /**
     * These runs and one more measured one, keeping the newest {@code window}: the one rule by
     * which the database, the snapshot, a launch's spool and evaluate add a settled run. A kill
     * before it no longer bounds the next cap.
     */
    public Earlier plus(io.forge.model.Usage actual, int window) {
      if (io.forge.model.Plausible.whyNot(actual).isPresent()) {
        return this; // no job used that: a corrupt figure teaches nothing
      }
      List<io.forge.model.Usage> recent = new ArrayList<>(recentOldestFirst.size() + 1);
      recent.addAll(recentOldestFirst);
      recent.add(actual);
      int from = Math.max(0, recent.size() - window);
      return new Earlier(List.copyOf(recent.subList(from, recent.size())), summary.plus(actual),
          0);
    }

    /** These runs and one killed at a memory cap since. */
    public Earlier killedAt(double capMb) {
      return new Earlier(recentOldestFirst, summary, Math.max(killedAtMb, capMb));
    }
  }

  /**
   * A prediction with the features it was made from (the launcher stores both).
   *
   * @param job the job
   * @param features its features
   * @param prediction the prediction
   * @param evidence what the analysis and its tool have shown, for the memory cap
   */
  public record Planned(Job job, Features features, Prediction prediction,
      PeakEvidence evidence) {}

  /** How long a loaded model is used before the source is asked for a newer one. */
  public static final Duration MODEL_REFRESH = Duration.ofSeconds(60);

  private final Source source;
  private final Clock clock;
  private volatile Optional<TrainedModel> cached;
  private volatile Instant cachedAt = Instant.MIN;

  /** A predictor over a history source. */
  public Predictor(Source source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** The spec's entry point, for a job of no known analysis. */
  public Prediction predict(String scriptText, String runtimeName, double[] inputSizesMb) {
    return predict(null, scriptText, runtimeName, inputSizesMb);
  }

  /** The spec's entry point, with the analysis whose earlier runs become features. */
  public Prediction predict(
      String analysisId, String scriptText, String runtimeName, double[] inputSizesMb) {
    List<Double> sizes = new ArrayList<>();
    if (inputSizesMb != null) {
      for (double s : inputSizesMb) {
        sizes.add(s);
      }
    }
    return plan(new Job(analysisId, runtimeName, ScriptText.of(scriptText), sizes)).prediction();
  }

  /** Predicts a job and returns the features it used. */
  public Planned plan(Job job) {
    Earlier earlier = job.analysisId() == null ? Earlier.none()
        : source.earlierRuns(job.analysisId());
    Features features = FeatureExtractor.extract(job, earlier.summary());
    Prediction prediction = predict(features, earlier);
    return new Planned(job, features, prediction,
        evidence(job.analysisId(), earlier, prediction));
  }

  /** What an analysis's earlier runs, its tool's and its prediction say about its next peak. */
  public PeakEvidence evidence(String analysisId, Earlier earlier, Prediction prediction) {
    return PeakEvidence.of(analysisId, earlier, prediction, source.calibration());
  }

  /**
   * The prediction for features already extracted (their prior runs from {@code earlier}): the
   * trained model if there is one, else the analysis's own history, else the prior. What
   * {@link #plan} does after extracting, and what {@code evaluate} calls on stored runs.
   */
  public Prediction predict(Features features, Earlier earlier) {
    Optional<TrainedModel> model = model();
    if (model.isPresent()) {
      return model.get().predict(features);
    }
    if (!earlier.recentOldestFirst().isEmpty()) {
      return ColdStart.fromHistory(earlier.recentOldestFirst(), earlier.summary().count());
    }
    return ColdStart.prior(features.runtime());
  }

  /** Forgets the cached model so the next prediction loads the newest one. */
  public void refresh() {
    cachedAt = Instant.MIN;
  }

  /** The model in use (loaded lazily, refreshed every {@link #MODEL_REFRESH}). */
  public Optional<TrainedModel> model() {
    Instant now = clock.instant();
    Optional<TrainedModel> current = cached;
    if (current == null || cachedAt.plus(MODEL_REFRESH).isBefore(now)) {
      current = source.latestModel();
      if (current.isPresent() && !current.get().matchesCurrentLayout()) {
        current = Optional.empty();
      }
      cached = current;
      cachedAt = now;
    }
    return current;
  }
}
