package io.forge.model.predict;

import io.forge.model.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a job is expected to use (DESIGN.md "Prediction").
 *
 * @param cpuSeconds predicted CPU-seconds
 * @param peakRssMb predicted peak resident memory, MB
 * @param wallSeconds predicted wall-clock seconds
 * @param confidence in [0, 1]; see {@link Confidence}
 * @param cpuInterval interval for CPU-seconds
 * @param rssInterval interval for peak RSS
 * @param wallInterval interval for wall seconds
 * @param modelVersion the model that made it, null unless {@code basis == MODEL}
 * @param basis where it came from
 */
public record Prediction(
    double cpuSeconds,
    double peakRssMb,
    double wallSeconds,
    double confidence,
    Interval cpuInterval,
    Interval rssInterval,
    Interval wallInterval,
    Integer modelVersion,
    Basis basis) {

  /** Validates the components. */
  public Prediction {
    Objects.requireNonNull(cpuInterval, "cpuInterval");
    Objects.requireNonNull(rssInterval, "rssInterval");
    Objects.requireNonNull(wallInterval, "wallInterval");
    Objects.requireNonNull(basis, "basis");
    for (double v : new double[] {cpuSeconds, peakRssMb, wallSeconds}) {
      if (!Double.isFinite(v) || v < 0) {
        throw new IllegalArgumentException("predicted figures must be finite and >= 0");
      }
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0,1], got " + confidence);
    }
    if ((basis == Basis.MODEL) != (modelVersion != null)) {
      throw new IllegalArgumentException("modelVersion is set exactly when basis is model");
    }
  }

  /** The point prediction for one target. */
  public double get(Target target) {
    return switch (target) {
      case CPU_SECONDS -> cpuSeconds;
      case PEAK_RSS_MB -> peakRssMb;
      case WALL_SECONDS -> wallSeconds;
    };
  }

  /** The interval for one target. */
  public Interval interval(Target target) {
    return switch (target) {
      case CPU_SECONDS -> cpuInterval;
      case PEAK_RSS_MB -> rssInterval;
      case WALL_SECONDS -> wallInterval;
    };
  }

  /**
   * The JSON shape of DESIGN.md: {@code cpu_seconds}, {@code peak_rss_mb}, {@code
   * wall_seconds}, {@code confidence}, {@code intervals{<target>: [low, high]}}, {@code
   * model_version}, {@code basis}.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Object> intervals = new LinkedHashMap<>();
    for (Target t : Target.values()) {
      json.put(t.jsonName(), round(get(t)));
      intervals.put(t.jsonName(), List.of(round(interval(t).low()), round(interval(t).high())));
    }
    json.put("confidence", round(confidence));
    json.put("intervals", intervals);
    json.put("model_version", modelVersion);
    json.put("basis", basis.jsonName());
    return json;
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
