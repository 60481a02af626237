package io.forge.launcher.policy;

/**
 * The user's own limits — {@code --memory-limit-mb} / {@code --timeout-s}, an executor's limit
 * arguments, a request's {@code memory_limit_mb} — and the static limits they make: in {@code
 * deterministic} mode and while the prediction is only a prior they are the limits; in {@code
 * enforce} they bound the predicted ones from above (Forge never sets more than was asked).
 * Where the user gave none: an 8 GB memory slot (never above the host budget) and a 24-hour
 * timeout — the static slots sites use before Forge.
 *
 * @param requestedMemoryMb the user's memory limit, MB, or null
 * @param requestedTimeoutSeconds the user's timeout, seconds, or null
 */
public record StaticLimits(Double requestedMemoryMb, Double requestedTimeoutSeconds) {

  /** Default static memory slot, MB. */
  public static final double DEFAULT_MEMORY_MB = 8192;

  /** Default static timeout, seconds. */
  public static final double DEFAULT_TIMEOUT_S = 24 * 3600;

  /** Validates the values. */
  public StaticLimits {
    if ((requestedMemoryMb != null && !(requestedMemoryMb > 0))
        || (requestedTimeoutSeconds != null && !(requestedTimeoutSeconds > 0))) {
      throw new IllegalArgumentException("static limits must be > 0");
    }
  }

  /** The limits the user gave (either may be null: not given). */
  public static StaticLimits of(Double memoryLimitMb, Double timeoutSeconds) {
    return new StaticLimits(memoryLimitMb, timeoutSeconds);
  }

  /** The static memory limit: the user's, else the default slot. */
  public double memoryLimitMb() {
    return requestedMemoryMb == null ? DEFAULT_MEMORY_MB : requestedMemoryMb;
  }

  /** The static timeout: the user's, else the default. */
  public double timeoutSeconds() {
    return requestedTimeoutSeconds == null ? DEFAULT_TIMEOUT_S : requestedTimeoutSeconds;
  }
}
