package io.forge.launcher.policy;

/**
 * The limits used without a usable prediction: in {@code deterministic} mode, and in {@code
 * enforce} mode while the prediction is only a prior. Defaults: an 8 GB memory slot (never
 * above the host budget) and a 24-hour timeout — the static slots sites use before Forge.
 *
 * @param memoryLimitMb memory cap, MB
 * @param timeoutSeconds timeout, seconds
 */
public record StaticLimits(double memoryLimitMb, double timeoutSeconds) {

  /** Default static memory slot, MB. */
  public static final double DEFAULT_MEMORY_MB = 8192;

  /** Default static timeout, seconds. */
  public static final double DEFAULT_TIMEOUT_S = 24 * 3600;

  /** Validates the values. */
  public StaticLimits {
    if (!(memoryLimitMb > 0) || !(timeoutSeconds > 0)) {
      throw new IllegalArgumentException("static limits must be > 0");
    }
  }

  /** The given limits, or the documented defaults for those not given. */
  public static StaticLimits of(Double memoryLimitMb, Double timeoutSeconds) {
    return new StaticLimits(
        memoryLimitMb == null ? DEFAULT_MEMORY_MB : memoryLimitMb,
        timeoutSeconds == null ? DEFAULT_TIMEOUT_S : timeoutSeconds);
  }
}
