package io.forge.model.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accuracy of one target's predictions. Figures are NaN when undefined (no runs, or actuals
 * that do not vary, for R²).
 *
 * @param runs number of (prediction, actual) pairs
 * @param r2 coefficient of determination on the raw scale
 * @param r2Log coefficient of determination on ln(value)
 * @param mdapePct median absolute percentage error, %
 * @param intervalCoverage share of actuals inside the prediction interval, 0–1
 */
public record TargetAccuracy(int runs, double r2, double r2Log, double mdapePct, double intervalCoverage) {

  /** JSON form: {@code r2}, {@code r2_log}, {@code mdape_pct}, {@code interval_coverage}. */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("runs", runs);
    j.put("r2", round(r2));
    j.put("r2_log", round(r2Log));
    j.put("mdape_pct", round(mdapePct));
    j.put("interval_coverage", round(intervalCoverage));
    return j;
  }

  static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10000.0) / 10000.0 : v;
  }
}
