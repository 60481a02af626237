package io.forge.model.predict;

import java.util.OptionalDouble;

/**
 * What is known of a job's peak memory before it runs, beyond its prediction: the largest peak
 * its analysis has shown, how many measured runs showed it, a kill since the last of them, and
 * the largest peak of its tool's other analyses; with the {@link PeakCalibration} that says how
 * far a next run lands above such a peak.
 *
 * @param measuredRuns the analysis's measured runs
 * @param largestPeakMb the largest peak it is known to reach (a kill's cap counts), 0 if none
 * @param killedAtMb the largest cap it was killed at since its last measured run, 0 if none
 * @param toolPeakMb the largest peak of its tool's runs, when it has no run of its own
 * @param calibration the margins learned from the history
 */
public record PeakEvidence(int measuredRuns, double largestPeakMb, double killedAtMb,
    OptionalDouble toolPeakMb, PeakCalibration calibration) {

  /** The retry rule: a run killed at a cap is retried at this many times the cap. */
  public static final double RETRY_FACTOR = 2.0;

  /** The evidence of an analysis's earlier runs and its tool's. */
  public static PeakEvidence of(String analysisId, Predictor.Earlier earlier,
      PeakCalibration calibration) {
    int runs = earlier.summary().count();
    OptionalDouble tool = runs > 0 ? OptionalDouble.empty()
        : calibration.toolPeakMb(PeakCalibration.toolOf(analysisId));
    return new PeakEvidence(runs, earlier.largestPeakMb(), earlier.killedAtMb(), tool,
        calibration);
  }

  /**
   * The calibrated memory cap at a target first-attempt failure rate: the analysis's largest
   * peak (else its tool's) times the learned margin, never below the retry rule's cap after a
   * kill. Empty when there is no evidence to size from (no run of the analysis or its tool, or
   * too few scores to promise the rate), except after a kill, where the retry rule still holds.
   */
  public OptionalDouble capMb(double targetFailureRate) {
    double floor = RETRY_FACTOR * killedAtMb;
    double anchor = measuredRuns > 0 ? largestPeakMb : toolPeakMb.orElse(0);
    OptionalDouble margin = anchor > 0
        ? calibration.logMargin(measuredRuns, targetFailureRate) : OptionalDouble.empty();
    if (margin.isPresent()) {
      return OptionalDouble.of(Math.max(floor, anchor * Math.exp(margin.getAsDouble())));
    }
    return floor > 0 ? OptionalDouble.of(floor) : OptionalDouble.empty();
  }
}
