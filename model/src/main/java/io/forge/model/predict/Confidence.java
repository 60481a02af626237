package io.forge.model.predict;

/**
 * The {@code confidence} figure of a prediction, in [0, 1]:
 *
 * <pre>
 *   confidence = exp(−1.96 · σ̄) · (0.5 + 0.5 · min(1, n / 5))
 * </pre>
 *
 * where σ̄ is the mean over the three targets of the log-scale residual standard deviation
 * behind the intervals (so {@code exp(1.96 σ̄)} is the typical factor between the prediction
 * and an interval bound), and {@code n} is the number of earlier settled runs of the same
 * analysis. A tight interval backed by five or more earlier runs approaches 1; the same
 * interval for a never-seen analysis gets at most 0.5; a {@code prior}-basis prediction, whose
 * interval spans a factor of 20 each way, gets about 0.025.
 */
final class Confidence {

  /** Earlier runs after which history no longer raises confidence. */
  public static final int FULL_HISTORY_RUNS = 5;

  private Confidence() {}

  /** Computes the figure from per-target log-scale sigmas and the analysis's run count. */
  public static double of(double[] logSigmas, int priorRuns) {
    double mean = 0;
    for (double s : logSigmas) {
      mean += Math.max(0, s);
    }
    mean /= logSigmas.length;
    double width = Math.exp(-Interval.Z95 * mean);
    double history = 0.5 + 0.5 * Math.min(1.0, priorRuns / (double) FULL_HISTORY_RUNS);
    return Math.max(0, Math.min(1, width * history));
  }
}
