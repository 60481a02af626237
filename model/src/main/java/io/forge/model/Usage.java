package io.forge.model;

/**
 * Resources a run actually used.
 *
 * @param cpuSeconds user + system CPU time of the whole process tree
 * @param peakRssMb peak resident memory of the tree in MB
 * @param wallSeconds elapsed wall-clock seconds
 */
public record Usage(double cpuSeconds, double peakRssMb, double wallSeconds) {

  /** Validates that every figure is finite and non-negative. */
  public Usage {
    if (!valid(cpuSeconds) || !valid(peakRssMb) || !valid(wallSeconds)) {
      throw new IllegalArgumentException(
          "usage figures must be finite and >= 0: cpu=" + cpuSeconds + " rss=" + peakRssMb
              + " wall=" + wallSeconds);
    }
  }

  private static boolean valid(double v) {
    return Double.isFinite(v) && v >= 0;
  }

  /** The figure for one target. */
  public double get(Target target) {
    return switch (target) {
      case CPU_SECONDS -> cpuSeconds;
      case PEAK_RSS_MB -> peakRssMb;
      case WALL_SECONDS -> wallSeconds;
    };
  }
}
