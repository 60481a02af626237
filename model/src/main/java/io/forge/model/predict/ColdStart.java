package io.forge.model.predict;

import io.forge.model.Target;
import io.forge.model.Usage;
import java.util.List;
import java.util.Map;

/**
 * Predictions made without a trained model: from the analysis's own earlier runs ({@link
 * Basis#HISTORY}) or, for a never-seen analysis, from a conservative per-runtime prior ({@link
 * Basis#PRIOR}) whose interval spans a factor of {@value #PRIOR_FACTOR} each way, so no caller
 * mistakes it for a precise number.
 */
public final class ColdStart {

  /** Interval half-width factor of a prior-basis prediction. */
  public static final double PRIOR_FACTOR = 20.0;

  /** Earlier runs averaged by a history-basis prediction (the most recent ones). */
  public static final int HISTORY_WINDOW = 10;

  /** Smallest log-scale sigma a history prediction admits (run-to-run noise is ≈ 3–5%). */
  static final double MIN_HISTORY_SIGMA = 0.1;

  /** Sigma used when fewer than three runs make any spread estimate meaningless (factor ≈ 2.7). */
  static final double FEW_RUNS_SIGMA = 0.5;

  /**
   * Prior peak RSS per runtime, MB: generous defaults for a typical job of that kind; used only
   * until the analysis has run once.
   */
  static final Map<String, Double> PRIOR_RSS_MB =
      Map.of(
          "python", 1024.0, "r", 2048.0, "shell", 256.0, "jvm", 2048.0, "perl", 512.0,
          "nextflow", 2048.0, "snakemake", 2048.0, "other", 1024.0);

  static final double PRIOR_CPU_SECONDS = 60;
  static final double PRIOR_WALL_SECONDS = 120;

  private ColdStart() {}

  /** The prior for a runtime (canonical name). */
  public static Prediction prior(String runtime) {
    double rss = PRIOR_RSS_MB.getOrDefault(runtime, PRIOR_RSS_MB.get("other"));
    double sigma = Math.log(PRIOR_FACTOR) / Interval.Z95;
    return new Prediction(
        PRIOR_CPU_SECONDS,
        rss,
        PRIOR_WALL_SECONDS,
        Confidence.of(new double[] {sigma, sigma, sigma}, 0),
        widen(PRIOR_CPU_SECONDS),
        widen(rss),
        widen(PRIOR_WALL_SECONDS),
        null,
        Basis.PRIOR);
  }

  private static Interval widen(double point) {
    return new Interval(point / PRIOR_FACTOR, point * PRIOR_FACTOR);
  }

  /**
   * A prediction from the analysis's earlier runs: the geometric mean of the last {@value
   * #HISTORY_WINDOW} runs, with an interval of ±1.96 times their log-scale spread, widened for
   * small samples (× √(1 + 1/n)) and never narrower than {@link #MIN_HISTORY_SIGMA}.
   *
   * @param oldestFirst at least one earlier run
   * @param totalRuns how many earlier runs the analysis has in all (for confidence)
   */
  public static Prediction fromHistory(List<Usage> oldestFirst, int totalRuns) {
    if (oldestFirst.isEmpty()) {
      throw new IllegalArgumentException("a history prediction needs at least one earlier run");
    }
    List<Usage> window =
        oldestFirst.subList(Math.max(0, oldestFirst.size() - HISTORY_WINDOW), oldestFirst.size());
    int n = window.size();
    double[] centre = new double[3];
    double[] sigma = new double[3];
    Interval[] intervals = new Interval[3];
    for (Target t : Target.values()) {
      double sum = 0;
      for (Usage u : window) {
        sum += t.toLog(u.get(t));
      }
      double mean = sum / n;
      double ss = 0;
      for (Usage u : window) {
        double d = t.toLog(u.get(t)) - mean;
        ss += d * d;
      }
      double s =
          n < 3
              ? FEW_RUNS_SIGMA
              : Math.max(MIN_HISTORY_SIGMA, Math.sqrt(ss / (n - 1)) * Math.sqrt(1 + 1.0 / n));
      centre[t.ordinal()] = mean;
      sigma[t.ordinal()] = s;
      intervals[t.ordinal()] = Interval.aroundLog(mean, s);
    }
    return new Prediction(
        Math.exp(centre[0]),
        Math.exp(centre[1]),
        Math.exp(centre[2]),
        Confidence.of(sigma, totalRuns),
        intervals[0],
        intervals[1],
        intervals[2],
        null,
        Basis.HISTORY);
  }
}
