package io.forge.launcher.policy;

import io.forge.model.predict.Basis;
import io.forge.model.predict.PeakEvidence;
import io.forge.model.predict.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The one place where a prediction becomes limits (the spec's executor rule, and Forge's):
 *
 * <ul>
 *   <li>{@code enforce}, rule {@code calibrated} (the default): memory cap = the analysis's
 *       largest peak so far (a kill's cap counts) times the margin its history has learned for
 *       a target first-attempt failure rate ({@link PeakEvidence#capMb}, default 2 %); for an
 *       analysis with no run yet, the largest peak of its tool's other analyses times the
 *       margin learned for such transfers; after a kill, at least the retry rule's cap (twice
 *       the cap it died at). With no evidence at all — no run of the analysis or its tool —
 *       the job gets the static limits (its own request, else the static slot): a model's
 *       guess for a never-seen analysis is not enough to cap it tighter than it asked. While
 *       the history is too thin to promise the rate, the spec's rule below applies.
 *   <li>{@code enforce}, rule {@code spec}: memory cap = max({@code margin} × predicted peak RSS,
 *       1.1 × the analysis's largest measured peak), {@code margin} = 1.5; a prior-basis
 *       prediction gets the static limits.
 *   <li>In both, timeout = max(60 s, 1.3 × predicted wall) once the analysis has a measured
 *       run (the static timeout before); the user's own limits are upper bounds (Forge never
 *       sets more than was asked, and says so when the history shows the asked memory is too
 *       small); the host budget caps everything; when even the low end of the predicted peak
 *       RSS exceeds the host budget, and two of the analysis's recent runs did too, the job is
 *       refused (unless forced).
 *   <li>{@code dry-run}: no limits; a job that enforce mode would refuse is reported, not
 *       stopped.
 *   <li>{@code deterministic}: the static limits, whatever the prediction says.
 * </ul>
 */
public final class SizingPolicy {

  /** How enforce mode turns evidence into a memory cap. */
  public enum Rule {
    /** Caps at a calibrated margin over the largest peak (the default). */
    CALIBRATED,
    /** The spec's bare rule: 1.5 × the predicted peak, floored at 1.1 × the largest one. */
    SPEC;

    /** The name {@code FORGE_SIZING} takes. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The spec's memory safety margin. */
  public static final double DEFAULT_MEMORY_MARGIN = 1.5;

  /** The default target first-attempt failure rate of calibrated caps. */
  public static final double DEFAULT_TARGET_FAILURE_RATE = 0.02;

  /** The spec's timeout factor. */
  public static final double TIMEOUT_FACTOR = 1.3;

  /** The spec's minimum timeout, seconds. */
  public static final double MIN_TIMEOUT_SECONDS = 60;

  /** Factor on the analysis's largest measured peak that the spec rule's cap never goes below. */
  public static final double HISTORY_FLOOR_FACTOR = 1.1;

  private final Rule rule;
  private final double memoryMargin;
  private final double targetFailureRate;

  /** The default policy: calibrated caps at a 2 % target, the spec's rule while history is thin. */
  public SizingPolicy() {
    this(Rule.CALIBRATED, DEFAULT_MEMORY_MARGIN, DEFAULT_TARGET_FAILURE_RATE);
  }

  /**
   * A policy.
   *
   * @param rule how evidence becomes a cap
   * @param memoryMargin the spec rule's margin (≥ 1)
   * @param targetFailureRate the calibrated rule's target first-attempt failure rate (0–0.5)
   */
  public SizingPolicy(Rule rule, double memoryMargin, double targetFailureRate) {
    if (!(memoryMargin >= 1.0) || !Double.isFinite(memoryMargin)) {
      throw new IllegalArgumentException("memory margin must be >= 1, got " + memoryMargin);
    }
    if (!(targetFailureRate > 0 && targetFailureRate <= 0.5)) {
      throw new IllegalArgumentException("target failure rate must be in (0, 0.5], got "
          + targetFailureRate);
    }
    this.rule = rule;
    this.memoryMargin = memoryMargin;
    this.targetFailureRate = targetFailureRate;
  }

  /** The spec's rule with another memory margin (must be ≥ 1). */
  public static SizingPolicy spec(double memoryMargin) {
    return new SizingPolicy(Rule.SPEC, memoryMargin, DEFAULT_TARGET_FAILURE_RATE);
  }

  /** The calibrated rule at another target failure rate. */
  public static SizingPolicy calibrated(double targetFailureRate) {
    return new SizingPolicy(Rule.CALIBRATED, DEFAULT_MEMORY_MARGIN, targetFailureRate);
  }

  /**
   * The policy of {@code FORGE_SIZING} ({@code calibrated}, the default, or {@code spec}),
   * {@code FORGE_TARGET_FAILURE_RATE} (default 0.02) and {@code FORGE_MEMORY_MARGIN} (default
   * 1.5, the spec's; ≥ 1). The trade-offs are what {@code forge-launch evaluate} reports.
   *
   * @throws IllegalArgumentException when a variable holds no valid value
   */
  public static SizingPolicy fromEnvironment(java.util.Map<String, String> env) {
    String r = env.getOrDefault("FORGE_SIZING", "").trim();
    Rule rule;
    if (r.isEmpty() || r.equals("calibrated")) {
      rule = Rule.CALIBRATED;
    } else if (r.equals("spec")) {
      rule = Rule.SPEC;
    } else {
      throw new IllegalArgumentException("FORGE_SIZING must be calibrated or spec, got '" + r
          + "'");
    }
    double margin = number(env, "FORGE_MEMORY_MARGIN", DEFAULT_MEMORY_MARGIN, "a number >= 1");
    double target = number(env, "FORGE_TARGET_FAILURE_RATE", DEFAULT_TARGET_FAILURE_RATE,
        "a rate in (0, 0.5], e.g. 0.02");
    try {
      return new SizingPolicy(rule, margin, target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (FORGE_MEMORY_MARGIN,"
          + " FORGE_TARGET_FAILURE_RATE)");
    }
  }

  private static double number(java.util.Map<String, String> env, String name, double otherwise,
      String expected) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return otherwise;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be " + expected + ", got '" + v + "'");
    }
  }

  /** The rule in use. */
  public Rule rule() {
    return rule;
  }

  /** The spec rule's memory margin. */
  public double memoryMargin() {
    return memoryMargin;
  }

  /** The calibrated rule's target first-attempt failure rate. */
  public double targetFailureRate() {
    return targetFailureRate;
  }

  /** The spec's cap for a predicted peak ({@code margin} × peak), before floor and budget. */
  public double memoryCapMb(double predictedPeakRssMb) {
    return memoryMargin * predictedPeakRssMb;
  }

  /**
   * The spec rule's cap, before the host budget: the spec's cap, never below {@link
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
   * The memory cap of enforce mode before the user's limit and the host budget, or null when
   * there is no evidence to cap from (the static limits apply).
   */
  Double memoryCapMb(Prediction prediction, PeakEvidence evidence) {
    if (rule == Rule.CALIBRATED) {
      OptionalDouble calibrated = evidence.capMb(targetFailureRate);
      if (calibrated.isPresent()) {
        return calibrated.getAsDouble();
      }
      if (evidence.measuredRuns() == 0) {
        return null;
      }
    }
    if (prediction.basis() == Basis.PRIOR) {
      return null;
    }
    return memoryCapMb(prediction.peakRssMb(), evidence.largestPeakMb());
  }

  /**
   * Decides the limits of one job (see the class comment).
   *
   * @param mode the sizing mode
   * @param prediction the job's prediction
   * @param evidence what its analysis and tool have shown
   * @param hostBudgetMb memory the host can give one job, MB
   * @param statics the static limits for deterministic mode and jobs without evidence, and
   *     the user's own upper bounds in enforce
   * @param force run even when the job would be refused
   */
  public SizingDecision decide(Mode mode, Prediction prediction, PeakEvidence evidence,
      double hostBudgetMb, StaticLimits statics, boolean force) {
    return decide(mode, prediction, evidence, hostBudgetMb, HOST_BUDGET, statics, force);
  }

  /** What the budget of {@link #decide} is called in its notes, unless told otherwise. */
  public static final String HOST_BUDGET = "the host budget";

  /**
   * The same, with a budget that is not this host's: {@code budgetName} says whose in the
   * notes ({@code submit}'s is the largest node of a Slurm partition).
   */
  public SizingDecision decide(Mode mode, Prediction prediction, PeakEvidence evidence,
      double hostBudgetMb, String budgetName, StaticLimits statics, boolean force) {
    if (!(hostBudgetMb > 0)) {
      throw new IllegalArgumentException("host budget must be > 0 MB, got " + hostBudgetMb);
    }
    double staticMemory = Math.min(statics.memoryLimitMb(), hostBudgetMb);
    Limits staticLimits = new Limits(staticMemory, statics.timeoutSeconds(), "static");
    if (mode == Mode.DETERMINISTIC) {
      return new SizingDecision(false, staticLimits, null);
    }
    String refusal = refusal(prediction, evidence, hostBudgetMb, budgetName);
    if (mode == Mode.DRY_RUN) {
      return new SizingDecision(
          false, Limits.none(), refusal == null ? null : "dry-run, not refused: " + refusal);
    }
    if (refusal != null && !force) {
      return new SizingDecision(true, Limits.none(), refusal);
    }
    Double planned = memoryCapMb(prediction, evidence);
    if (planned == null) {
      return new SizingDecision(false, staticLimits, refusal == null ? null
          : "forced: " + refusal);
    }
    double cap = planned;
    // The calibrated rule trusts a predicted wall time only for an analysis that has run.
    boolean timed = prediction.basis() != Basis.PRIOR
        && (rule == Rule.SPEC || evidence.measuredRuns() > 0);
    double timeout = timed ? timeoutSeconds(prediction.wallSeconds()) : statics.timeoutSeconds();
    List<String> notes = new ArrayList<>();
    Double asked = statics.requestedMemoryMb();
    boolean memoryBound = asked != null && asked < cap;
    if (memoryBound) {
      cap = asked;
      double known = Math.max(HISTORY_FLOOR_FACTOR * evidence.largestPeakMb(),
          PeakEvidence.RETRY_FACTOR * evidence.killedAtMb());
      if (asked < known) {
        notes.add(String.format(Locale.ROOT, "the memory limit you gave, %.0f MB, is below what"
            + " this analysis has needed (%.0f MB%s): it may be killed", asked,
            Math.max(evidence.largestPeakMb(), evidence.killedAtMb()),
            evidence.killedAtMb() > 0 ? ", killed at its cap last time" : " at its peak"));
      }
    }
    Double askedTimeout = statics.requestedTimeoutSeconds();
    boolean timeoutBound = askedTimeout != null && askedTimeout < timeout;
    if (timeoutBound) {
      timeout = askedTimeout;
    }
    if (cap > hostBudgetMb) {
      notes.add(String.format(Locale.ROOT,
          "memory cap lowered from %.0f MB to %s (%.0f MB)", cap, budgetName, hostBudgetMb));
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

  /**
   * Why the job cannot run here, or null: the low end of its predicted peak is above the host
   * budget, and so are at least two of its analysis's recent measured runs — a model's guess
   * or one outlying run is never enough to refuse a job.
   */
  private static String refusal(Prediction p, PeakEvidence evidence, double hostBudgetMb,
      String budgetName) {
    if (p.basis() == Basis.PRIOR || p.rssInterval().low() <= hostBudgetMb
        || evidence.corroboratedPeakMb() <= hostBudgetMb) {
      return null;
    }
    return String.format(Locale.ROOT,
        "refused: needs at least %.0f MB (predicted %.0f MB peak RSS; two of its recent runs"
            + " peaked at %.0f MB or more) but %s is %.0f MB",
        p.rssInterval().low(), p.peakRssMb(), evidence.corroboratedPeakMb(), budgetName,
        hostBudgetMb);
  }
}
