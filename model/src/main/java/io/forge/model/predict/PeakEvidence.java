package io.forge.model.predict;

import java.util.OptionalDouble;

/**
 * What is known of a job's peak memory before it runs, beyond its prediction: the largest peak
 * its analysis has shown, how many measured runs showed it, a kill since the last of them; for
 * an analysis with no run, the largest peak of its tool's other analyses and a trained model's
 * prediction; with the {@link PeakCalibration} that says how far a next run lands above each.
 *
 * @param measuredRuns the analysis's measured runs
 * @param largestPeakMb the largest peak it is known to reach (a kill's cap counts), 0 if none
 * @param killedAtMb the largest cap it was killed at since its last measured run, 0 if none
 * @param toolPeakMb the largest peak of its tool's runs, when it has no run of its own
 * @param modelPeakMb a trained model's predicted peak, when it has no run of its own
 * @param calibration the margins learned from the history
 * @param corroboratedPeakMb the peak at least two of its recent measured runs reached (the
 *     second largest of them), 0 with fewer than two: what a refusal needs, since one run
 *     alone may be an outlier
 */
public record PeakEvidence(int measuredRuns, double largestPeakMb, double killedAtMb,
    OptionalDouble toolPeakMb, OptionalDouble modelPeakMb, PeakCalibration calibration,
    double corroboratedPeakMb) {

  /** The retry rule: a run killed at a cap is retried at this many times the cap. */
  public static final double RETRY_FACTOR = 2.0;

  /** The evidence of an analysis's earlier runs, its tool's and its prediction's. */
  public static PeakEvidence of(String analysisId, Predictor.Earlier earlier,
      Prediction prediction, PeakCalibration calibration) {
    int runs = earlier.summary().count();
    OptionalDouble tool = runs > 0 ? OptionalDouble.empty()
        : calibration.toolPeakMb(PeakCalibration.toolOf(analysisId));
    OptionalDouble model = runs > 0 || prediction.basis() != Basis.MODEL
        ? OptionalDouble.empty() : OptionalDouble.of(prediction.peakRssMb());
    double largest = 0;
    double second = 0;
    for (io.forge.model.Usage u : earlier.recentOldestFirst()) {
      double peak = u.peakRssMb();
      if (peak > largest) {
        second = largest;
        largest = peak;
      } else if (peak > second) {
        second = peak;
      }
    }
    return new PeakEvidence(runs, earlier.largestPeakMb(), earlier.killedAtMb(), tool, model,
        calibration, second);
  }

  /**
   * The calibrated memory cap at a target first-attempt failure rate, never below the retry rule's
   * cap after a kill: the analysis's largest peak times the learned margin; for an analysis with no
   * run, the smaller of its tool's largest peak and the model's prediction, each times its own
   * margin at half the rate (together they fail at most the rate), else the tool's (or the model's)
   * alone at the full rate. Empty when there is no evidence to size from (or too few scores to
   * promise the rate), except after a kill, where the retry rule still holds.
   */
  public OptionalDouble capMb(double targetFailureRate) {
    double floor = RETRY_FACTOR * killedAtMb;
    OptionalDouble cap = measuredRuns > 0
        ? scaled(largestPeakMb, calibration.logMargin(measuredRuns, targetFailureRate))
        : firstRunCap(targetFailureRate);
    if (cap.isPresent()) {
      return OptionalDouble.of(Math.max(floor, cap.getAsDouble()));
    }
    return floor > 0 ? OptionalDouble.of(floor) : OptionalDouble.empty();
  }

  /** The cap of an analysis with no run: from its tool and from the model (see {@link #capMb}). */
  private OptionalDouble firstRunCap(double rate) {
    OptionalDouble tool = fromTool(rate / 2);
    OptionalDouble model = fromModel(rate / 2);
    if (tool.isPresent() && model.isPresent()) {
      return OptionalDouble.of(Math.min(tool.getAsDouble(), model.getAsDouble()));
    }
    tool = fromTool(rate);
    return tool.isPresent() ? tool : fromModel(rate);
  }

  private OptionalDouble fromTool(double rate) {
    return toolPeakMb.isPresent()
        ? scaled(toolPeakMb.getAsDouble(), calibration.logMargin(0, rate))
        : OptionalDouble.empty();
  }

  private OptionalDouble fromModel(double rate) {
    return modelPeakMb.isPresent()
        ? scaled(modelPeakMb.getAsDouble(), calibration.modelMargin(rate))
        : OptionalDouble.empty();
  }

  private static OptionalDouble scaled(double anchorMb, OptionalDouble logMargin) {
    return anchorMb > 0 && logMargin.isPresent()
        ? OptionalDouble.of(anchorMb * Math.exp(logMargin.getAsDouble())) : OptionalDouble.empty();
  }
}
