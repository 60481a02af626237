package io.forge.launcher.eval;

import io.forge.launcher.policy.Mode;
import io.forge.launcher.policy.SizingDecision;
import io.forge.launcher.policy.SizingPolicy;
import io.forge.launcher.policy.StaticLimits;
import io.forge.model.history.RunRecord;
import io.forge.model.predict.PeakEvidence;
import io.forge.model.predict.Prediction;
import io.forge.model.predict.Predictor;
import io.forge.model.train.Trainer;
import io.forge.model.train.TrainingRow;
import io.forge.model.train.TrainingSets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code forge-launch evaluate}: replays the history and scores the prediction and the memory
 * caps of Forge's own planner (the launcher's {@link Predictor} and default {@link
 * SizingPolicy}, in enforce mode, the run's request as the user's limit) against the spec's
 * bare 1.5 × rule and baselines, every policy told exactly the same runs at the same moments
 * ({@link Timeline}):
 *
 * <ul>
 *   <li>{@code live} (default): submission order; a policy knows only runs completed before a
 *       run was submitted; every run after a warm-up of max(30, 10 %) runs is scored, and with
 *       a hold-out label every run of that label;
 *   <li>{@code paper}: the setup of the workflow memory-sizing literature — only analyses with
 *       at least 34 runs and no zero runtime; sequential; the first 30 % of each analysis's
 *       runs are warm-up; input size = {@code rchar} (what {@code import} stores).
 * </ul>
 *
 * Forge predicts every run, scored or not, as a live Forge would, and its model is retrained on
 * the completed runs every {@code retrainEvery} of them. {@code hindsight} is a bound, not a
 * policy: each analysis capped at the largest peak its scored runs reach, known in hindsight —
 * the least any rule that gives an analysis one cap for all its runs can waste without failing.
 */
public final class Evaluation {

  /** Minimum runs of an analysis under the paper protocol. */
  public static final int PAPER_MIN_RUNS = 34;

  /** Warm-up share of each analysis under the paper protocol. */
  public static final double PAPER_WARMUP = 0.30;

  /**
   * Settings.
   *
   * @param protocol {@code live} or {@code paper}
   * @param retrainEvery completed runs between retrains
   * @param staticMb the static cap baseline, MB
   * @param targets target failure rates to report Forge's wastage/failure trade-off for
   * @param holdoutLabel a label replayed after all other labels' runs, or null
   * @param trainer boosting settings
   */
  public record Settings(String protocol, int retrainEvery, double staticMb,
      List<Double> targets, String holdoutLabel, Trainer.Settings trainer) {

    /** Validates the settings. */
    public Settings {
      if (!protocol.equals("live") && !protocol.equals("paper")) {
        throw new IllegalArgumentException("protocol must be live or paper, got " + protocol);
      }
      if (retrainEvery < 1 || !(staticMb > 0) || targets.isEmpty()) {
        throw new IllegalArgumentException("retrain-every and static-mb must be positive");
      }
      for (double t : targets) {
        if (!(t > 0 && t <= 0.5)) {
          throw new IllegalArgumentException("target failure rates must be in (0, 0.5], got "
              + t);
        }
      }
      targets = List.copyOf(targets);
    }

    boolean sequential() {
      return protocol.equals("paper");
    }
  }

  /** Coarse progress for a terminal. */
  @FunctionalInterface
  public interface Progress {
    /** After each run or retrain. */
    void at(int done, int total, String what);
  }

  private Evaluation() {}

  /** Runs the evaluation over measured runs (any order) and returns the JSON report. */
  public static Map<String, Object> run(List<RunRecord> runs, Settings s, Progress progress,
      Clock clock) {
    List<RunRecord> pool = s.sequential() ? paperSelection(runs) : runs;
    if (s.holdoutLabel() != null && pool.stream().noneMatch(
        r -> s.holdoutLabel().equals(r.label()))) {
      throw new IllegalArgumentException("no measured runs with label " + s.holdoutLabel()
          + (s.sequential() ? " in analyses of at least " + PAPER_MIN_RUNS + " runs (the paper"
              + " protocol's selection)" : ""));
    }
    Timeline timeline = Timeline.of(pool, s.sequential(), s.holdoutLabel());
    List<RunRecord> ordered = timeline.runs();
    boolean[] scored = scored(ordered, s);
    int toScore = 0;
    Map<String, Double> hindsight = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      if (scored[i]) {
        toScore++;
        hindsight.merge(ordered.get(i).analysisId(), ordered.get(i).actual().peakRssMb(),
            Math::max);
      }
    }
    // Both keep the order of `ordered`, which is already in submission order.
    List<TrainingRow> rows = s.sequential() ? TrainingSets.sequential(ordered)
        : TrainingSets.fromRuns(ordered);
    Map<RunRecord, TrainingRow> rowOf = new IdentityHashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      rowOf.put(ordered.get(i), rows.get(i));
    }
    Trainer trainer = new Trainer(s.trainer(), clock);
    ReplayHistory history = new ReplayHistory();
    Predictor predictor = new Predictor(history, clock);
    SizingPolicy policy = new SizingPolicy();
    SizingPolicy spec = SizingPolicy.spec(SizingPolicy.DEFAULT_MEMORY_MARGIN);
    Map<Double, SizingPolicy> targetPolicies = new TreeMap<>();
    for (double t : s.targets()) {
      targetPolicies.put(t, SizingPolicy.calibrated(t));
    }
    Baselines baselines = new Baselines(s.staticMb());
    Scores overall = Scores.flat();
    Map<String, Scores> groups = new TreeMap<>();
    List<TrainingRow> completed = new ArrayList<>();
    List<Long> decisionNanos = new ArrayList<>();
    int trainedOn = 0;
    int retrains = 0;
    int done = 0;
    // A live Forge predicts every run it is given, history included: what its model guessed
    // for a run of an analysis with no completed run teaches how far to trust such guesses.
    double[] coldGuess = new double[ordered.size()];
    for (Timeline.Event e : timeline.events()) {
      RunRecord run = ordered.get(e.index());
      if (!e.submit()) {
        history.completed(run.analysisId(), run.actual());
        if (coldGuess[e.index()] > 0) {
          history.coldPrediction(coldGuess[e.index()], run.actual().peakRssMb());
        }
        baselines.observe(run.analysisId(), run.inputTotalMb(), run.actual().peakRssMb());
        completed.add(rowOf.get(run));
        continue;
      }
      if (completed.size() >= Trainer.MIN_ROWS
          && completed.size() - trainedOn >= (retrains == 0 ? 0 : s.retrainEvery())) {
        progress.at(done, toScore, "training on " + completed.size() + " runs");
        history.trained(trainer.train(completed, Trainer.Progress.none()));
        predictor.refresh();
        trainedOn = completed.size();
        retrains++;
      }
      // A request of 0 (a trace's "-" read as nothing) is no request.
      Double request = run.memoryLimitMb() != null && run.memoryLimitMb() > 0
          ? run.memoryLimitMb() : null;
      long t0 = System.nanoTime();
      Predictor.Earlier earlier = history.earlierRuns(run.analysisId());
      Prediction p = predictor.predict(
          TrainingSets.features(run, earlier.summary()), earlier);
      PeakEvidence evidence = predictor.evidence(run.analysisId(), earlier, p);
      double forgeCap = cap(policy, p, evidence, request, baselines);
      long t1 = System.nanoTime();
      if (evidence.modelPeakMb().isPresent()) {
        coldGuess[e.index()] = evidence.modelPeakMb().getAsDouble();
      }
      if (!scored[e.index()]) {
        continue;
      }
      decisionNanos.add(t1 - t0);
      Map<String, Double> caps = new LinkedHashMap<>();
      caps.put("forge", forgeCap);
      caps.put("forge_spec", spec.memoryCapMb(p.peakRssMb()));
      caps.put("forge_interval", p.rssInterval().high());
      if (request != null) {
        caps.put("requested", request);
      }
      caps.put("static", s.staticMb());
      caps.put("max_history", baselines.maxHistory(run.analysisId(), request));
      caps.put("witt_lr", baselines.wittLr(run.analysisId(), run.inputTotalMb(), request));
      caps.put("hindsight", hindsight.get(run.analysisId()));
      Map<Double, Double> targetCaps = new TreeMap<>();
      for (Map.Entry<Double, SizingPolicy> t : targetPolicies.entrySet()) {
        targetCaps.put(t.getKey(), cap(t.getValue(), p, evidence, request, baselines));
      }
      String group = run.label() != null ? run.label() : run.runtime();
      overall.add(run.analysisId(), p, run.actual(), caps, targetCaps);
      groups.computeIfAbsent(group, k -> Scores.byAnalysis())
          .add(run.analysisId(), p, run.actual(), caps, targetCaps);
      if (++done % 500 == 0) {
        progress.at(done, toScore, "replaying");
      }
    }
    progress.at(done, toScore, "done");
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("protocol", s.protocol());
    if (s.holdoutLabel() != null) {
      report.put("holdout_label", s.holdoutLabel());
    }
    report.put("runs_evaluated", overall.runs());
    report.put("runs_total", ordered.size());
    report.put("retrains", retrains);
    report.put("retrain_every", s.retrainEvery());
    report.put("static_mb", s.staticMb());
    report.put("decision_us", microseconds(decisionNanos));
    report.put("overall", overall.toJson());
    Map<String, Object> byGroup = new LinkedHashMap<>();
    groups.forEach((k, g) -> byGroup.put(k, g.toJson()));
    report.put("groups", byGroup);
    return report;
  }

  /**
   * The cap {@code enforce} would set with {@code policy}, the request as the user's limit;
   * where the policy falls back to the static slot (a prior, no request) the slot is the
   * evaluation's, the one the baselines fall back to.
   */
  private static double cap(SizingPolicy policy, Prediction p, PeakEvidence evidence,
      Double request, Baselines baselines) {
    SizingDecision d = policy.decide(Mode.ENFORCE, p, evidence, Double.MAX_VALUE,
        StaticLimits.of(request, null), true);
    return d.limits().source().equals("static") ? baselines.fallback(request)
        : d.limits().memoryLimitMb();
  }

  /** Which runs are scored: after the warm-up, or the held-out label's. */
  private static boolean[] scored(List<RunRecord> ordered, Settings s) {
    if (s.sequential()) {
      return paperEvaluated(ordered, s.holdoutLabel());
    }
    boolean[] scored = new boolean[ordered.size()];
    int warmup = Math.max(Trainer.MIN_ROWS, ordered.size() / 10);
    for (int i = 0; i < ordered.size(); i++) {
      scored[i] = s.holdoutLabel() != null ? s.holdoutLabel().equals(ordered.get(i).label())
          : i >= warmup;
    }
    return scored;
  }

  /** Mean, median and 99th percentile of Forge's sizing decisions, µs. */
  private static Map<String, Object> microseconds(List<Long> nanos) {
    Map<String, Object> j = new LinkedHashMap<>();
    if (nanos.isEmpty()) {
      return j;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    j.put("mean", Math.round(sum / sorted.size() / 100.0) / 10.0);
    j.put("p50", Math.round(sorted.get(sorted.size() / 2) / 100.0) / 10.0);
    j.put("p99", Math.round(sorted.get((int) Math.min(sorted.size() - 1,
        Math.ceil(0.99 * sorted.size()) - 1)) / 100.0) / 10.0);
    return j;
  }

  /** The runs of analyses with enough runs and no zero runtime, in their order. */
  static List<RunRecord> paperSelection(List<RunRecord> ordered) {
    Map<String, Integer> count = new HashMap<>();
    Set<String> zeroRuntime = new HashSet<>();
    for (RunRecord r : ordered) {
      count.merge(r.analysisId(), 1, Integer::sum);
      if (!(r.actual().wallSeconds() > 0)) {
        zeroRuntime.add(r.analysisId());
      }
    }
    List<RunRecord> kept = new ArrayList<>();
    for (RunRecord r : ordered) {
      if (count.get(r.analysisId()) >= PAPER_MIN_RUNS && !zeroRuntime.contains(r.analysisId())) {
        kept.add(r);
      }
    }
    return kept;
  }

  /**
   * Under the paper protocol: all but the first 30 % of each analysis's runs (of the held-out
   * label's analyses only, when there is one).
   */
  static boolean[] paperEvaluated(List<RunRecord> ordered, String holdoutLabel) {
    Map<String, Integer> total = new HashMap<>();
    for (RunRecord r : ordered) {
      total.merge(r.analysisId(), 1, Integer::sum);
    }
    Map<String, Integer> seen = new HashMap<>();
    boolean[] evaluate = new boolean[ordered.size()];
    for (int i = 0; i < ordered.size(); i++) {
      RunRecord r = ordered.get(i);
      int k = seen.merge(r.analysisId(), 1, Integer::sum);
      evaluate[i] = k > Math.ceil(PAPER_WARMUP * total.get(r.analysisId()))
          && (holdoutLabel == null || holdoutLabel.equals(r.label()));
    }
    return evaluate;
  }
}
