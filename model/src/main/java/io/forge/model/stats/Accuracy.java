package io.forge.model.stats;

import io.forge.model.Target;
import io.forge.model.Usage;
import io.forge.model.predict.Prediction;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy figures over (prediction, actual) pairs: R² on the raw and on the log scale (the
 * log scale is the one the model is trained on and the fair one for targets spanning orders of
 * magnitude), the median absolute percentage error, and the coverage of the prediction
 * intervals.
 */
public final class Accuracy {

  /** A prediction beside what the run really used. */
  public record Pair(Prediction predicted, Usage actual) {}

  private Accuracy() {}

  /** Computes the figures for every target. */
  public static Map<Target, TargetAccuracy> of(List<Pair> pairs) {
    Map<Target, TargetAccuracy> result = new EnumMap<>(Target.class);
    for (Target t : Target.values()) {
      result.put(t, of(pairs, t));
    }
    return result;
  }

  /** Computes the figures for one target. */
  public static TargetAccuracy of(List<Pair> pairs, Target t) {
    int n = pairs.size();
    if (n == 0) {
      return new TargetAccuracy(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] predicted = new double[n];
    double[] actual = new double[n];
    double[] predictedLog = new double[n];
    double[] actualLog = new double[n];
    double[] ape = new double[n];
    int covered = 0;
    for (int i = 0; i < n; i++) {
      Pair p = pairs.get(i);
      predicted[i] = p.predicted().get(t);
      actual[i] = p.actual().get(t);
      predictedLog[i] = t.toLog(predicted[i]);
      actualLog[i] = t.toLog(actual[i]);
      double denominator = Math.max(actual[i], t.floor());
      ape[i] = 100.0 * Math.abs(predicted[i] - actual[i]) / denominator;
      if (p.predicted().interval(t).contains(actual[i])) {
        covered++;
      }
    }
    return new TargetAccuracy(
        n, r2(predicted, actual), r2(predictedLog, actualLog), median(ape), covered / (double) n);
  }

  /** 1 − Σ(y − ŷ)² / Σ(y − ȳ)²; NaN when y does not vary. */
  public static double r2(double[] predicted, double[] actual) {
    double mean = Arrays.stream(actual).average().orElse(Double.NaN);
    double ssRes = 0;
    double ssTot = 0;
    for (int i = 0; i < actual.length; i++) {
      ssRes += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
      ssTot += (actual[i] - mean) * (actual[i] - mean);
    }
    return ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot;
  }

  /** The median; NaN for an empty array. */
  public static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
