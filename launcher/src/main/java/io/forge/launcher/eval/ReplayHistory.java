package io.forge.launcher.eval;

import io.forge.model.Usage;
import io.forge.model.predict.ColdStart;
import io.forge.model.predict.PeakCalibration;
import io.forge.model.predict.Predictor;
import io.forge.model.predict.TrainedModel;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a live Forge would know at one moment of a replay: the runs completed so far, per analysis,
 * the peak calibration they make, and the model last trained. It is the {@link Predictor.Source}
 * evaluate predicts from, the same interface the launcher's snapshot implements.
 */
final class ReplayHistory implements Predictor.Source {

  private final Map<String, Predictor.Earlier> analyses = new HashMap<>();
  private final PeakCalibration calibration = new PeakCalibration();
  private TrainedModel model;

  /** A run's actual is now known. */
  void completed(String analysisId, Usage actual) {
    calibration.completed(analysisId, actual.peakRssMb());
    analyses.put(analysisId, earlierRuns(analysisId).plus(actual, ColdStart.HISTORY_WINDOW));
  }

  /** A run its model predicted before its analysis had a completed run has completed. */
  void coldPrediction(double predictedMb, double peakMb) {
    calibration.coldPrediction(predictedMb, peakMb);
  }

  /** A model was trained on the runs completed so far. */
  void trained(TrainedModel model) {
    this.model = model;
  }

  @Override
  public Predictor.Earlier earlierRuns(String analysisId) {
    return analyses.getOrDefault(analysisId, Predictor.Earlier.none());
  }

  @Override
  public Optional<TrainedModel> latestModel() {
    return Optional.ofNullable(model);
  }

  @Override
  public PeakCalibration calibration() {
    return calibration;
  }
}
