package io.forge.model;

/** The three quantities Forge predicts, with their JSON names. */
public enum Target {
  /** User + system CPU seconds of the process tree. */
  CPU_SECONDS("cpu_seconds"),
  /** Peak resident set size of the process tree, MB. */
  PEAK_RSS_MB("peak_rss_mb"),
  /** Wall-clock seconds. */
  WALL_SECONDS("wall_seconds");

  private final String jsonName;

  Target(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name used in JSON output and the README. */
  public String jsonName() {
    return jsonName;
  }

  /**
   * The smallest value used on the log scale: resources below this are measurement noise, and
   * the floor keeps {@code log(0)} out of training.
   */
  public double floor() {
    return switch (this) {
      case CPU_SECONDS, WALL_SECONDS -> 0.01;
      case PEAK_RSS_MB -> 1.0;
    };
  }

  /** Natural log of {@code max(value, floor())}: the scale the model is trained on. */
  public double toLog(double value) {
    return Math.log(Math.max(value, floor()));
  }
}
