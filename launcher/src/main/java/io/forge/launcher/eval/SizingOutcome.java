package io.forge.launcher.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory-sizing outcome of one policy over a set of runs. A run whose peak exceeds its cap
 * fails: that attempt is charged in full (cap × the run's wall time) and the run is retried with
 * double the cap, until it fits. Wastage = Σ (cap − actual peak) × wall over successful attempts
 * plus the full charge of failed ones, in GB·h. {@code failures} counts failed attempts, {@code
 * first_attempt_failures} the runs whose first cap was too small.
 */
final class SizingOutcome {

  private double wastageGbh;
  private int failures;
  private int firstAttemptFailures;
  private int attempts;
  private int runs;

  /** Charges one run given its first cap. */
  void charge(double capMb, double peakMb, double wallSeconds) {
    double hours = Math.max(wallSeconds, 0) / 3600.0;
    double cap = Math.max(capMb, 1);
    runs++;
    if (cap < peakMb) {
      firstAttemptFailures++;
    }
    while (cap < peakMb) {
      failures++;
      attempts++;
      wastageGbh += cap / 1024.0 * hours;
      cap *= 2;
    }
    attempts++;
    wastageGbh += (cap - peakMb) / 1024.0 * hours;
  }

  double wastageGbh() {
    return wastageGbh;
  }

  int failures() {
    return failures;
  }

  int runs() {
    return runs;
  }

  Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("wastage_gbh", Math.round(wastageGbh * 1000.0) / 1000.0);
    j.put("failures", failures);
    j.put("attempts", attempts);
    j.put("failure_rate", runs == 0 ? null : Math.round(10000.0 * failures / runs) / 10000.0);
    j.put("first_attempt_failures", firstAttemptFailures);
    j.put("first_attempt_failure_rate",
        runs == 0 ? null : Math.round(10000.0 * firstAttemptFailures / runs) / 10000.0);
    return j;
  }
}
