package io.forge.model.features;

import io.forge.model.Target;
import io.forge.model.Usage;
import java.util.List;

/**
 * Summary of an analysis's earlier settled runs, known at prediction time.
 *
 * @param count number of earlier runs
 * @param mean mean usage per target (zeros when {@code count == 0})
 * @param max maximum usage per target
 * @param last the most recent run's usage
 */
public record PriorRuns(int count, Usage mean, Usage max, Usage last) {

  private static final Usage ZERO = new Usage(0, 0, 0);

  /** Validates the components. */
  public PriorRuns {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0");
    }
    if (mean == null || max == null || last == null) {
      throw new IllegalArgumentException("usage summaries must not be null");
    }
  }

  /** No earlier runs. */
  public static PriorRuns none() {
    return new PriorRuns(0, ZERO, ZERO, ZERO);
  }

  /** Summarises runs given oldest first. */
  public static PriorRuns of(List<Usage> oldestFirst) {
    if (oldestFirst.isEmpty()) {
      return none();
    }
    double[] sum = new double[3];
    double[] max = new double[3];
    for (Usage u : oldestFirst) {
      for (Target t : Target.values()) {
        sum[t.ordinal()] += u.get(t);
        max[t.ordinal()] = Math.max(max[t.ordinal()], u.get(t));
      }
    }
    int n = oldestFirst.size();
    return new PriorRuns(
        n,
        new Usage(sum[0] / n, sum[1] / n, sum[2] / n),
        new Usage(max[0], max[1], max[2]),
        oldestFirst.get(n - 1));
  }

  /**
   * Adds one more run to the summary (used when replaying history in time order, so the
   * training rows see exactly what a prediction at that time would have seen).
   */
  public PriorRuns plus(Usage run) {
    int n = count + 1;
    return new PriorRuns(
        n,
        new Usage(
            mean.cpuSeconds() + (run.cpuSeconds() - mean.cpuSeconds()) / n,
            mean.peakRssMb() + (run.peakRssMb() - mean.peakRssMb()) / n,
            mean.wallSeconds() + (run.wallSeconds() - mean.wallSeconds()) / n),
        new Usage(
            Math.max(max.cpuSeconds(), run.cpuSeconds()),
            Math.max(max.peakRssMb(), run.peakRssMb()),
            Math.max(max.wallSeconds(), run.wallSeconds())),
        run);
  }
}
