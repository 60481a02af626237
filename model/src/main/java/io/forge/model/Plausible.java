package io.forge.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Figures no job can have: what every way into the history (an import, an API call, a spooled
 * run) refuses and counts, so that one corrupt value never sizes, refuses or skews anything.
 * The bounds are physical, not statistical — generous enough for any machine in service.
 */
public final class Plausible {

  /** Most memory any machine holds, MB: 64 TiB (the largest single-image servers hold 48). */
  public static final double MAX_MEMORY_MB = 64.0 * 1024 * 1024;

  /** Longest a job can have run, seconds: ten years. */
  public static final double MAX_WALL_SECONDS = 10 * 366 * 86_400.0;

  /** Most CPU time a job can have used: ten years on 16 384 cores, seconds. */
  public static final double MAX_CPU_SECONDS = MAX_WALL_SECONDS * 16_384;

  /** Largest input a job can read, MB: one exbibyte. */
  public static final double MAX_INPUT_MB = 1024.0 * 1024 * 1024 * 1024;

  private Plausible() {}

  /** Why no job can have used this, or empty when one can. */
  public static Optional<String> whyNot(Usage u) {
    return usage(u.cpuSeconds(), u.peakRssMb(), u.wallSeconds());
  }

  /** Why no job can have used this (before it is a {@link Usage}), or empty when one can. */
  public static Optional<String> usage(double cpuSeconds, double peakRssMb,
      double wallSeconds) {
    return first(check("cpu_seconds", cpuSeconds, MAX_CPU_SECONDS),
        check("peak_rss_mb", peakRssMb, MAX_MEMORY_MB),
        check("wall_seconds", wallSeconds, MAX_WALL_SECONDS));
  }

  /** Why {@code value} cannot be a memory figure in MB (a request, a limit), or empty. */
  public static Optional<String> memoryMb(String name, double value) {
    return check(name, value, MAX_MEMORY_MB);
  }

  /** Why {@code value} cannot be a duration in seconds (a timeout), or empty. */
  public static Optional<String> seconds(String name, double value) {
    return check(name, value, MAX_WALL_SECONDS);
  }

  /** Why {@code value} cannot be an input size in MB, or empty. */
  public static Optional<String> inputMb(String name, double value) {
    return check(name, value, MAX_INPUT_MB);
  }

  /**
   * Why {@code value} is no figure of a job: not finite, negative, or above {@code max}; empty
   * when it can be one.
   */
  public static Optional<String> check(String name, double value, double max) {
    if (!Double.isFinite(value)) {
      return Optional.of(name + " is not a finite number (" + value + ")");
    }
    if (value < 0) {
      return Optional.of(name + " is negative (" + format(value) + ")");
    }
    if (value > max) {
      return Optional.of(name + " " + format(value) + " is beyond any machine (at most "
          + format(max) + ")");
    }
    return Optional.empty();
  }

  @SafeVarargs
  private static Optional<String> first(Optional<String>... reasons) {
    for (Optional<String> r : reasons) {
      if (r.isPresent()) {
        return r;
      }
    }
    return Optional.empty();
  }

  private static String format(double v) {
    return Math.abs(v) >= 1e7 ? String.format(Locale.ROOT, "%.3g", v)
        : String.format(Locale.ROOT, "%.6g", v).replaceFirst("\\.?0+$", "");
  }
}
