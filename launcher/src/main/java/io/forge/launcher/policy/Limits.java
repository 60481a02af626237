package io.forge.launcher.policy;

/**
 * The limits a job runs under; {@code null} means "none".
 *
 * @param memoryLimitMb memory cap, MB
 * @param timeoutSeconds wall-clock timeout, seconds
 * @param source why these limits: {@code predicted}, {@code static}, {@code none}
 * @param boundByRequest true when the user's own limit lowered a predicted one
 */
public record Limits(Double memoryLimitMb, Double timeoutSeconds, String source,
    boolean boundByRequest) {

  /** Limits no request bounded. */
  public Limits(Double memoryLimitMb, Double timeoutSeconds, String source) {
    this(memoryLimitMb, timeoutSeconds, source, false);
  }

  /** Validates the values. */
  public Limits {
    if (memoryLimitMb != null && !(memoryLimitMb > 0 && Double.isFinite(memoryLimitMb))) {
      throw new IllegalArgumentException("memory limit must be > 0 MB, got " + memoryLimitMb);
    }
    if (timeoutSeconds != null && !(timeoutSeconds > 0 && Double.isFinite(timeoutSeconds))) {
      throw new IllegalArgumentException("timeout must be > 0 s, got " + timeoutSeconds);
    }
  }

  /** No limits at all. */
  public static Limits none() {
    return new Limits(null, null, "none");
  }

  /** Whether any limit is set. */
  public boolean any() {
    return memoryLimitMb != null || timeoutSeconds != null;
  }
}
