package io.forge.launcher.policy;

import io.forge.model.predict.Basis;
import io.forge.model.predict.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one place where a prediction becomes limits (the spec's executor rule):
 *
 * <ul>
 *   <li>{@code enforce}: memory cap = min(max({@code margin} × predicted peak RSS, 1.1 × the
 *       analysis's largest measured peak so far), host budget) with {@code margin} = 1.5 by
 *       default; timeout = max(60 s, 1.3 × predicted wall). The history floor is Forge's
 *       addition to the spec's rule, measured by {@code forge-launch evaluate} on the shared
 *       nf-core traces: first-attempt failures fall from 15 % to 1.3 % (live) and from 8 % to
 *       0.06 % (paper protocol) for 7 % and 11 % more wastage. The user's own limits are upper
 *       bounds: Forge never sets more than was asked, and says so when the analysis's history
 *       shows the asked memory is too small. A {@code prior}-basis prediction (no model, no
 *       history) is no basis for a tight cap, so the static limits apply instead. When even the
 *       low end of the predicted peak RSS exceeds the host budget the job is refused (unless
 *       forced).
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

  /**
   * The policy with the margin of {@code FORGE_MEMORY_MARGIN} (default 1.5, the spec's; ≥ 1).
   * The trade-off between margins is what {@code forge-launch evaluate} reports.
   *
   * @throws IllegalArgumentException when the variable is not a number ≥ 1
   */
  public static SizingPolicy fromEnvironment(java.util.Map<String, String> env) {
    String v = env.get("FORGE_MEMORY_MARGIN");
    if (v == null || v.isBlank()) {
      return new SizingPolicy();
    }
    try {
      return new SizingPolicy(Double.parseDouble(v.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("FORGE_MEMORY_MARGIN must be a number >= 1, got '" + v
          + "'");
    }
  }

  /** The memory margin in use. */
  public double memoryMargin() {
    return memoryMargin;
  }

  /** Factor on the analysis's largest measured peak that the cap never goes below. */
  public static final double HISTORY_FLOOR_FACTOR = 1.1;

  /** The spec's cap for a predicted peak ({@code margin} × peak), before floor and budget. */
  public double memoryCapMb(double predictedPeakRssMb) {
    return memoryMargin * predictedPeakRssMb;
  }

  /**
   * The cap enforce mode sets, before the host budget: the spec's cap, never below {@link
   * #HISTORY_FLOOR_FACTOR} × the largest peak the analysis has had (0 when it has none).
   */
  public double memoryCapMb(double predictedPeakRssMb, double priorMaxPeakMb) {
    return Math.max(memoryCapMb(predictedPeakRssMb), HISTORY_FLOOR_FACTOR * priorMaxPeakMb);
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
   * @param statics the static limits for deterministic mode and prior-basis predictions, and
   *     the user's own upper bounds in enforce
   * @param force run even when the job would be refused
   */
  public SizingDecision decide(
      Mode mode, Prediction prediction, double hostBudgetMb, StaticLimits statics, boolean force) {
    return decide(mode, prediction, 0, hostBudgetMb, statics, force);
  }

  /**
   * Decides the limits of one job whose analysis has already peaked at {@code priorMaxPeakMb}
   * (0 when it has no measured run).
   */
  public SizingDecision decide(Mode mode, Prediction prediction, double priorMaxPeakMb,
      double hostBudgetMb, StaticLimits statics, boolean force) {
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
    double cap = memoryCapMb(prediction.peakRssMb(), priorMaxPeakMb);
    double timeout = timeoutSeconds(prediction.wallSeconds());
    List<String> notes = new ArrayList<>();
    Double asked = statics.requestedMemoryMb();
    boolean memoryBound = asked != null && asked < cap;
    if (memoryBound) {
      cap = asked;
      if (asked < HISTORY_FLOOR_FACTOR * priorMaxPeakMb) {
        notes.add(String.format(Locale.ROOT, "the memory limit you gave, %.0f MB, is below this"
            + " analysis's largest peak so far (%.0f MB): it may be killed", asked,
            priorMaxPeakMb));
      }
    }
    Double askedTimeout = statics.requestedTimeoutSeconds();
    boolean timeoutBound = askedTimeout != null && askedTimeout < timeout;
    if (timeoutBound) {
      timeout = askedTimeout;
    }
    if (cap > hostBudgetMb) {
      notes.add(String.format(Locale.ROOT,
          "memory cap lowered from %.0f MB to the host budget %.0f MB", cap, hostBudgetMb));
      cap = hostBudgetMb;
      memoryBound = false; // the host set it, not the user
    }
    if (refusal != null) {
      notes.add(0, "forced: " + refusal); // what the user overrode, first
    }
    String note = notes.isEmpty() ? null : String.join("; ", notes);
    return new SizingDecision(false,
        new Limits(cap, timeout, "predicted", memoryBound || timeoutBound), note);
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
