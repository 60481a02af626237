package io.forge.model.predict;

/**
 * A closed prediction interval {@code [low, high]} in the target's own unit.
 *
 * @param low lower bound, ≥ 0
 * @param high upper bound, ≥ low
 */
public record Interval(double low, double high) {

  /** Validates the bounds. */
  public Interval {
    if (!Double.isFinite(low) || !Double.isFinite(high) || low < 0 || high < low) {
      throw new IllegalArgumentException("invalid interval [" + low + ", " + high + "]");
    }
  }

  /**
   * The spec's interval: {@code exp(logCentre ± 1.96 σ)}, i.e. ±1.96 residual standard
   * deviations on the log scale the model predicts on.
   */
  public static Interval aroundLog(double logCentre, double sigma) {
    return new Interval(Math.exp(logCentre - Z95 * sigma), Math.exp(logCentre + Z95 * sigma));
  }

  /** The two-sided 95% normal quantile used by the spec's intervals. */
  public static final double Z95 = 1.96;

  /** Whether {@code value} lies inside the interval. */
  public boolean contains(double value) {
    return value >= low && value <= high;
  }
}
