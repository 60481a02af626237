package io.forge.launcher.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baselines Forge's sizing is compared with, each fed the runs in the same order and asked
 * for a cap before it sees the run's actual peak:
 *
 * <ul>
 *   <li>{@code max_history}: 1.1 × the largest peak the analysis has had so far;
 *   <li>{@code witt_lr}: per analysis, a least-squares line of peak memory on input size plus
 *       the largest under-prediction that line has made on the analysis's past runs (the "LR
 *       with offset" of Witt et al., "Learning low-wastage memory allocations for scientific
 *       workflows at IceCube", 2019);
 * </ul>
 *
 * and both fall back to the run's request, else the static cap, until the analysis has history
 * (two runs for the line). They learn only what the evaluation's timeline tells them.
 */
final class Baselines {

  private final double staticMb;
  private final Map<String, List<double[]>> history = new HashMap<>();

  Baselines(double staticMb) {
    this.staticMb = staticMb;
  }

  /** What a baseline sets without history: the run's request, else the static cap. */
  double fallback(Double requestedMb) {
    return requestedMb != null ? requestedMb : staticMb;
  }

  double maxHistory(String analysis, Double requestedMb) {
    List<double[]> h = history.get(analysis);
    if (h == null || h.isEmpty()) {
      return fallback(requestedMb);
    }
    double max = 0;
    for (double[] r : h) {
      max = Math.max(max, r[1]);
    }
    return 1.1 * max;
  }

  double wittLr(String analysis, double inputMb, Double requestedMb) {
    List<double[]> h = history.get(analysis);
    if (h == null || h.size() < 2) {
      return fallback(requestedMb);
    }
    double[] line = fit(h);
    double offset = 0;
    for (double[] r : h) {
      offset = Math.max(offset, r[1] - (line[0] + line[1] * r[0]));
    }
    return Math.max(1, line[0] + line[1] * inputMb + offset);
  }

  /** Records a run's input size and actual peak for later predictions. */
  void observe(String analysis, double inputMb, double peakMb) {
    history.computeIfAbsent(analysis, k -> new ArrayList<>()).add(new double[] {inputMb, peakMb});
  }

  /** Intercept and slope of peak on input; a flat line at the mean when inputs do not vary. */
  static double[] fit(List<double[]> points) {
    double n = points.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (double[] p : points) {
      sx += p[0];
      sy += p[1];
      sxx += p[0] * p[0];
      sxy += p[0] * p[1];
    }
    double denominator = n * sxx - sx * sx;
    if (Math.abs(denominator) < 1e-12) {
      return new double[] {sy / n, 0};
    }
    double slope = (n * sxy - sx * sy) / denominator;
    return new double[] {(sy - slope * sx) / n, slope};
  }
}
