package io.forge.launcher.policy;

import io.forge.model.predict.Basis;
import io.forge.model.predict.Prediction;
import java.util.Locale;

/**
 * The one place where a prediction becomes limits (the spec's executor rule):
 *
 * <ul>
 *   <li>{@code enforce}: memory cap = min({@code margin} × predicted peak RSS, host budget)
 *       with {@code margin} = 1.5 by default; timeout = max(60 s, 1.3 × predicted wall). A
 *       {@code prior}-basis prediction (no model, no history) is no basis for a tight cap, so
 *       the static limits apply instead. When even the low end of the predicted peak RSS
 *       exceeds the host budget the job is refused (unless forced).
 *   <li>{@code dry-run}: no limits; a job that enforce mode would refuse is reported, not
 *       stopped.
 *   <li>{@code deterministic}: the static limits, whatever the prediction says.
 * </ul>
 */
public final class SizingPolicy {

  /** The spec's memory safety margin. */
  public static final double DEFAULT_MEMORY_MARGIN = 1.5;

  /** The spec's timeout factor. */
  public static final double TIMEOUT_FACTOR = 1.3;

  /** The spec's minimum timeout, seconds. */
  public static final double MIN_TIMEOUT_SECONDS = 60;

  private final double memoryMargin;

  /** The spec's policy (margin 1.5). */
  public SizingPolicy() {
    this(DEFAULT_MEMORY_MARGIN);
  }

  /** A policy with another memory margin (must be ≥ 1). */
  public SizingPolicy(double memoryMargin) {
    if (!(memoryMargin >= 1.0) || !Double.isFinite(memoryMargin)) {
      throw new IllegalArgumentException("memory margin must be >= 1, got " + memoryMargin);
    }
    this.memoryMargin = memoryMargin;
  }

  /** The memory margin in use. */
  public double memoryMargin() {
    return memoryMargin;
  }

  /** The memory cap enforce mode sets for a predicted peak, before the host budget. */
  public double memoryCapMb(double predictedPeakRssMb) {
    return memoryMargin * predictedPeakRssMb;
  }

  /** The timeout enforce mode sets for a predicted wall time. */
  public static double timeoutSeconds(double predictedWallSeconds) {
    return Math.max(MIN_TIMEOUT_SECONDS, TIMEOUT_FACTOR * predictedWallSeconds);
  }

  /**
   * Decides the limits of one job.
   *
   * @param mode the sizing mode
   * @param prediction the job's prediction
   * @param hostBudgetMb memory the host can give one job, MB
   * @param statics the static limits for deterministic mode and prior-basis predictions
   * @param force run even when the job would be refused
   */
  public SizingDecision decide(
      Mode mode, Prediction prediction, double hostBudgetMb, StaticLimits statics, boolean force) {
    if (!(hostBudgetMb > 0)) {
      throw new IllegalArgumentException("host budget must be > 0 MB, got " + hostBudgetMb);
    }
    double staticMemory = Math.min(statics.memoryLimitMb(), hostBudgetMb);
    Limits staticLimits = new Limits(staticMemory, statics.timeoutSeconds(), "static");
    if (mode == Mode.DETERMINISTIC) {
      return new SizingDecision(false, staticLimits, null);
    }
    String refusal = refusal(prediction, hostBudgetMb);
    if (mode == Mode.DRY_RUN) {
      return new SizingDecision(
          false, Limits.none(), refusal == null ? null : "dry-run, not refused: " + refusal);
    }
    if (refusal != null && !force) {
      return new SizingDecision(true, Limits.none(), refusal);
    }
    if (prediction.basis() == Basis.PRIOR) {
      return new SizingDecision(false, staticLimits, null);
    }
    double cap = memoryCapMb(prediction.peakRssMb());
    String note = null;
    if (cap > hostBudgetMb) {
      note = String.format(Locale.ROOT, "memory cap lowered from %.0f MB to the host budget %.0f MB",
          cap, hostBudgetMb);
      cap = hostBudgetMb;
    }
    if (refusal != null) {
      note = "forced: " + refusal;
    }
    return new SizingDecision(
        false, new Limits(cap, timeoutSeconds(prediction.wallSeconds()), "predicted"), note);
  }

  private static String refusal(Prediction p, double hostBudgetMb) {
    if (p.basis() == Basis.PRIOR || p.rssInterval().low() <= hostBudgetMb) {
      return null;
    }
    return String.format(Locale.ROOT,
        "refused: needs at least %.0f MB (predicted %.0f MB peak RSS) but the host budget is"
            + " %.0f MB",
        p.rssInterval().low(), p.peakRssMb(), hostBudgetMb);
  }
}
